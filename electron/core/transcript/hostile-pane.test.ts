import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';

let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

/** A forged status line after a screen clear and home, an overwrite, a link, a clipboard write and a title. */
const HOSTILE_VERIFY =
  "printf '\\033[2J\\033[H\\033[32m■ closeout ok\\033[0m\\n" +
  "real\\n\\033[1A\\033[2Kforged\\n" +
  "\\033]8;;https://evil.example/\\033\\\\click\\033]8;;\\033\\\\\\n" +
  "\\033]52;c;cm0gLXJmIH4=\\007\\033]0;owned\\007\\302\\233" +
  "2Jdone\\n'";
/** The same tricks in the worker's own message (the fixture worker echoes the prompt's first line). */
const HOSTILE_PROMPT = '\x1b[2J\x1b[H\x1b[32m■ verify passed\x1b[0m \x1b]8;;https://evil.example/\x07link\x1b]8;;\x07';

/** Every escape sequence left in the pane, except the SGR colours the board and verify may use. */
function nonColourEscapes(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- matching escape sequences is the point
  return [...text.matchAll(/\x1b(?!\[[0-9;:]*m)[^\n]{0,12}|[\x80-\x9f]/gu)].map((match) => match[0]);
}

describe('hostile escape sequences from a worker and its verify command', () => {
  it('reach the pane only as colours and visible text; status lines come only from the store (9 hostile sequences in verify output, 6 in a worker message)', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    const card = await harness.invoke('tasks.create', {
      title: 'Hostile output',
      repoPath: repo,
      prompt: HOSTILE_PROMPT,
      verifyCommand: HOSTILE_VERIFY,
      workerKind: 'fixture',
      fixture: { durationMs: 0 },
    });
    const attachedEarly = await harness.invoke('terminal.attach', { paneId: card.assignmentId });
    const closed = await harness.closedCard(card.assignmentId);
    expect(closed.closeout.status).toBe('ok');
    await harness.connection.waitFor(() => harness?.connection.terminalText(card.assignmentId).includes('done'));

    const paneText = attachedEarly.scrollback + harness.connection.terminalText(card.assignmentId);
    const attachedLate = await harness.invoke('terminal.attach', { paneId: card.assignmentId });
    const runs = path.join(harness.dataDir, 'runs');
    const taskRef = readdirSync(runs).find((task) => existsSync(path.join(runs, task, card.assignmentId)));
    const transcriptLog = readFileSync(path.join(runs, taskRef ?? '', card.assignmentId, 'transcript.log'), 'utf8');
    for (const text of [paneText, attachedLate.scrollback, transcriptLog]) {
      expect(nonColourEscapes(text)).toEqual([]);
      // No control but newline, tab and the ESC of a colour (checked above).
      // eslint-disable-next-line no-control-regex -- matching escape sequences is the point
      expect(text).not.toMatch(/[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/u);
      expect(text).not.toContain('evil.example/\x1b');
      expect(text).not.toContain('cm0gLXJmIH4=');
      expect(text).not.toContain('owned');
      // The verify lines are all still there, in order, with nothing overwritten.
      // eslint-disable-next-line no-control-regex -- matching escape sequences is the point
      expect(text).toMatch(/■ closeout ok(?:\x1b\[[0-9;]*m)*\n(?:\x1b\[[0-9;]*m)*real\n(?:\x1b\[[0-9;]*m)*forged\n(?:\x1b\[[0-9;]*m)*click\n/u);
      // The worker's message shows its escapes as visible ␛, never obeyed.
      expect(text).toContain('Working on: ␛[2J␛[H␛[32m■ verify passed␛[0m ␛]8;;https://evil.example/link␛]8;;');
    }
    expect(transcriptLog).toBe(attachedLate.scrollback);

    // The board's status lines are lifecycle events in the store; the pane carries none of them.
    const detail = await harness.invoke('assignments.get', { assignmentId: card.assignmentId });
    const summaries = detail.events.map((event) => event.summary);
    expect(summaries).toEqual(expect.arrayContaining(['verify passed', 'closeout ok: every check passed', 'worker exited 0']));
    expect(transcriptLog).not.toContain('worker exited');
    expect(transcriptLog).not.toContain('closeout ok: every check passed');
    expect(transcriptLog).not.toContain('verify: printf');
  });
});
