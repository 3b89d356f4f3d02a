import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Login } from '../../../shared/accounts';
import type { NewTaskInput } from '../../../shared/contract';
import { MASK } from '../../../shared/secret-mask';
import type { CoreOptions } from '../core';
import { makeFakeCli, type FakeCli } from '../../test-support/fake-cli';
import { git, makeTempRepo } from '../../test-support/temp-repo';
import { fixtureRunInput } from '../../test-support/run-input';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { watchDescendantCmdlines } from '../../test-support/worker-cmdlines';

const API_KEY = 'sk-ant-api03-test';
let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

interface Fleet {
  h: TestCore;
  claude: FakeCli;
  codex: FakeCli;
}

/** A core with one Claude account (API key) and one Codex account (device login), both on fake CLIs. */
async function fleet(modes: { claude?: Record<string, unknown>; codex?: Record<string, unknown> } = {}, core: Partial<CoreOptions> = {}): Promise<Fleet> {
  const claude = makeFakeCli('claude', { validApiKey: API_KEY, ...modes.claude });
  const codex = makeFakeCli('codex', { approveAfterMs: 20, ...modes.codex });
  const h = startTestCore(core);
  harness = h;
  await h.invoke('settings.update', { claudePath: claude.path, codexPath: codex.path });
  expect(await h.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: API_KEY })).toMatchObject({ state: 'approved' });
  const login = await h.invoke('accounts.connect', { provider: 'codex', method: 'device' });
  await h.connection.waitFor(() =>
    h.connection.events.some((e) => e.event === 'login.updated' && (e.payload as Login).loginId === login.loginId && (e.payload as Login).state === 'approved')
      ? true
      : undefined,
  );
  return { h, claude, codex };
}

function task(overrides: Partial<NewTaskInput>): NewTaskInput {
  return {
    title: 'Write a greeting',
    repoPath: makeTempRepo(),
    prompt: 'hello from the fleet',
    verifyCommand: 'true',
    workerKind: 'claude',
    workerType: 'code-run',
    ...overrides,
  };
}

const workerCalls = (cli: FakeCli) => cli.calls().filter((c) => c.args[0] === '-p' || c.args[0] === 'exec');

describe('a Claude worker', () => {
  it('runs in its account home, records the result usage exactly, and closes out ok', async () => {
    const { h, claude } = await fleet();
    const card = await h.invoke('tasks.create', task({ verifyCommand: 'grep -q "hello from the fleet" MADE_BY_CLAUDE.txt', maxTurns: 7, maxBudgetUsd: 2.5, model: 'claude-fake-1' }));
    expect(card).toMatchObject({ accountRef: 'claude', workerKind: 'claude', workerType: 'code-run', model: 'claude-fake-1' });
    const closed = await h.closedCard(card.assignmentId);
    expect(closed.closeout.blockers).toEqual([]);
    expect(closed.state).toBe('done');
    expect(closed.tokens.text).toBe('1,630 exact');

    const detail = await h.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.tokenRows).toEqual([
      expect.objectContaining({ provider: 'anthropic', model: 'claude-fake-1', input: 1200, output: 80, cacheRead: 300, cacheWrite: 50, reasoning: 0, total: 1630, costAmount: 0.0125, currency: 'USD', accountRef: 'claude' }),
    ]);
    expect(detail.reconciliation).toEqual({ turns: [{ turn: 0, reportedTotal: 1630, rowTotal: 1630, match: true }], reportedTotal: 1630, rowsTotal: 1630, match: true });

    const [call] = workerCalls(claude);
    const home = path.join(h.dataDir, 'accounts', 'claude', 'claude');
    expect(call).toMatchObject({ CLAUDE_CONFIG_DIR: home, HOME: home });
    expect(call!.args).toEqual([
      '-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits',
      '--allowedTools', 'Bash Edit Write Read Glob Grep', '--disallowedTools', 'Agent WebFetch WebSearch',
      '--model=claude-fake-1', '--max-turns', '7', '--max-budget-usd', '2.5',
    ]);
    const pane = await h.invoke('terminal.attach', { paneId: card.assignmentId });
    expect(pane.scrollback).toContain('▸ tool: Bash');
    expect(pane.scrollback).toContain('usage 1,630 tokens exact');
    const raw = await h.invoke('assignments.rawLog', { assignmentId: card.assignmentId });
    expect(raw.truncated).toBe(false);
    expect(raw.text.split('\n').filter(Boolean).map((line) => JSON.parse(line).type)).toEqual(['system', 'assistant', 'assistant', 'user', 'assistant', 'result']);
  });

  it('names credentials_invalid when the provider refuses the key', async () => {
    const { h } = await fleet({ claude: { auth: 'invalid' } });
    const card = await h.invoke('tasks.create', task({}));
    const closed = await h.closedCard(card.assignmentId);
    expect(closed.state).toBe('failed');
    expect(closed.closeout.blockers).toContain('credentials_invalid');
  });

  it('stops on interrupt, records no estimate as exact, skips verify, and a retry runs the unit again', async () => {
    const { h, claude } = await fleet({ claude: { turnMs: 60_000 } });
    const card = await h.invoke('tasks.create', task({ title: 'Long job' }));
    await h.connection.waitFor(() => (h.connection.latestCard(card.assignmentId)?.lastLine.startsWith('tool: Bash') ? true : undefined));
    const interrupting = await h.invoke('assignments.interrupt', { assignmentId: card.assignmentId });
    expect(interrupting.lastLine).toBe('interrupted by the owner');
    const closed = await h.closedCard(card.assignmentId);
    expect(closed.closeout.blockers).toEqual(['interrupted', 'verify_skipped']);
    expect(closed.tokens.text).toBe('not measured');
    expect(await h.invokeRaw('assignments.interrupt', { assignmentId: card.assignmentId })).toMatchObject({ ok: false, error: { code: 'assignment_not_running' } });

    const retried = await h.invoke('assignments.retry', { assignmentId: card.assignmentId });
    expect(retried).toMatchObject({ retryOf: card.assignmentId, workUnit: card.workUnit });
    expect(retried.repo.branch).toBe(`${card.repo.branch}-retry-2`);
    await h.invoke('assignments.interrupt', { assignmentId: retried.assignmentId });
    await h.closedCard(retried.assignmentId);

    // The owner edits the prompt for the next try: the new worker gets the edit, the old one keeps its own.
    const edited = await h.invoke('assignments.retry', { assignmentId: retried.assignmentId, prompt: 'a sharper prompt' });
    expect((await h.invoke('assignments.get', { assignmentId: edited.assignmentId })).prompt).toBe('a sharper prompt');
    expect((await h.invoke('assignments.get', { assignmentId: card.assignmentId })).prompt).toBe('hello from the fleet');
    await h.connection.waitFor(() => (claude.prompts().some((p) => p.prompt === 'a sharper prompt') ? true : undefined));
    expect(await h.invokeRaw('assignments.retry', { assignmentId: edited.assignmentId, prompt: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await h.invoke('assignments.interrupt', { assignmentId: edited.assignmentId });
    await h.closedCard(edited.assignmentId);
  });
});

describe('a Codex worker', () => {
  it('splits cached input and reasoning into their own columns, and the rows add up to what Codex reported', async () => {
    const { h, codex } = await fleet();
    const card = await h.invoke('tasks.create', task({ workerKind: 'codex', workerType: 'research', reasoningEffort: 'high', model: 'gpt-fake', verifyCommand: 'test -s MADE_BY_CODEX.txt' }));
    const closed = await h.closedCard(card.assignmentId);
    expect(closed.closeout.blockers).toEqual([]);
    expect(closed.tokens.text).toBe('2,620 exact');
    const detail = await h.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.tokenRows[0]).toMatchObject({ provider: 'openai', input: 1890, cacheRead: 610, cacheWrite: 0, output: 96, reasoning: 24, total: 2620, costAmount: null });
    const [call] = workerCalls(codex);
    expect(call!.CODEX_HOME).toBe(path.join(h.dataDir, 'accounts', 'codex', 'codex'));
    expect(call!.args).toEqual([
      'exec', '--json', '--skip-git-repo-check', '-s', 'workspace-write', '-C', closed.repo.worktreePath,
      '--model=gpt-fake', '-c', 'model_reasoning_effort="high"', '-c', 'web_search="live"', '--', '-',
    ]);
    expect(codex.prompts().map((p) => p.prompt)).toEqual(['hello from the fleet']);
    const pane = await h.invoke('terminal.attach', { paneId: card.assignmentId });
    expect(pane.scrollback).toContain('▸ run:');
    expect(pane.scrollback).toContain('exit 0');
    expect(pane.scrollback).toContain('✎ update');
  });

  it('treats reconnect notices as progress and a 401 turn.failed as credentials_invalid', async () => {
    const { h } = await fleet({ codex: { auth: 'invalid' } });
    const card = await h.invoke('tasks.create', task({ workerKind: 'codex' }));
    const closed = await h.closedCard(card.assignmentId);
    expect(closed.closeout.blockers).toContain('credentials_invalid');
    const detail = await h.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.events.filter((e) => e.summary.startsWith('notice: Reconnecting'))).toHaveLength(2);
  });
});

describe('follow-ups', () => {
  it('resumes the Claude session in the same pane, and each turn gets its own row with its share of the cost', async () => {
    const { h, claude } = await fleet();
    const card = await h.invoke('tasks.create', task({}));
    const first = await h.closedCard(card.assignmentId);
    const followed = await h.invoke('assignments.followUp', { assignmentId: card.assignmentId, prompt: 'and once more' });
    expect(followed).toMatchObject({ followUps: 1, sessionRef: first.sessionRef, closeout: { status: 'pending' } });
    await h.connection.waitFor(() => {
      const latest = h.connection.latestCard(card.assignmentId);
      return latest?.status === 'closed' && latest.followUps === 1 ? latest : undefined;
    });
    const detail = await h.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.card.closeout.blockers).toEqual([]);
    expect(detail.tokenRows.map((r) => [r.sessionRef, r.costAmount, r.total])).toEqual([
      [first.sessionRef, 0.0125, 1630],
      [first.sessionRef, 0.0125, 1630],
    ]);
    expect(detail.card.tokens.text).toBe('3,260 exact');
    expect(workerCalls(claude).at(-1)!.args.at(-1)).toBe(`--resume=${first.sessionRef}`);
    expect(claude.prompts().map((p) => p.prompt)).toEqual(['hello from the fleet', 'and once more']);
    const pane = await h.invoke('terminal.attach', { paneId: card.assignmentId });
    expect(pane.scrollback).toContain('On it: hello from the fleet');
    expect(pane.scrollback).toContain('On it: and once more');
    expect(readFileSync(path.join(first.repo.worktreePath, 'MADE_BY_CLAUDE.txt'), 'utf8')).toBe('hello from the fleet\nand once more\n');
    const db = new Database(path.join(h.dataDir, 'fleet.sqlite'), { readonly: true });
    expect(db.prepare('SELECT status FROM closeout_history WHERE assignment_id = ?').pluck().all(card.assignmentId)).toEqual(['ok']);
    db.close();
  });

  it('resumes a Codex thread with exec resume', async () => {
    const { h, codex } = await fleet();
    const card = await h.invoke('tasks.create', task({ workerKind: 'codex' }));
    const first = await h.closedCard(card.assignmentId);
    await h.invoke('assignments.followUp', { assignmentId: card.assignmentId, prompt: 'next step' });
    await h.connection.waitFor(() => {
      const latest = h.connection.latestCard(card.assignmentId);
      return latest?.status === 'closed' && latest.followUps === 1 ? latest : undefined;
    });
    const args = workerCalls(codex).at(-1)!.args;
    expect(args.slice(0, 2)).toEqual(['exec', 'resume']);
    expect(args.slice(-3)).toEqual(['--', first.sessionRef, '-']);
    expect(codex.prompts().map((p) => p.prompt)).toEqual(['hello from the fleet', 'next step']);
  });

  it('is refused for a fixture worker and while the assignment is still running', async () => {
    const { h } = await fleet({ claude: { turnMs: 60_000 } });
    const fixture = await h.invoke('tasks.create', task({ workerKind: 'fixture', fixture: { durationMs: 0, fail: false, crash: false, floodBytes: 0 } }));
    await h.closedCard(fixture.assignmentId);
    expect(await h.invokeRaw('assignments.followUp', { assignmentId: fixture.assignmentId, prompt: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const running = await h.invoke('tasks.create', task({}));
    expect(await h.invokeRaw('assignments.followUp', { assignmentId: running.assignmentId, prompt: 'x' })).toMatchObject({ ok: false, error: { code: 'assignment_not_finished' } });
    await h.invoke('assignments.interrupt', { assignmentId: running.assignmentId });
    await h.closedCard(running.assignmentId);
  });
});

describe('prompts stay out of argv', () => {
  /** Starts like a flag, so a CLI that parsed it would take it for one. */
  const PROMPT = '--help me fix this: prompt-marker-7f3a9c';
  const MARKER = 'prompt-marker-7f3a9c';

  for (const workerKind of ['fixture', 'claude', 'codex'] as const) {
    it(`a ${workerKind} worker reads the prompt on stdin, and its command line holds no byte of it`, async () => {
      const { h, claude, codex } = await fleet();
      const watch = watchDescendantCmdlines();
      const fixture = { durationMs: 300, fail: false, crash: false, floodBytes: 0 };
      const card = await h.invoke('tasks.create', task({ workerKind, prompt: PROMPT, ...(workerKind === 'fixture' ? { fixture } : {}) }));
      const closed = await h.closedCard(card.assignmentId);
      const cmdlines = watch.stop();

      expect(closed.closeout.blockers).toEqual([]);
      const command = workerKind === 'fixture' ? 'fixture-worker.cjs' : workerKind === 'claude' ? claude.path : codex.path;
      const workers = cmdlines.filter((line) => line.includes(command));
      console.log(`${workerKind}: ${cmdlines.length} command lines read from /proc, ${workers.length} of the worker`);
      expect(workers.length).toBeGreaterThan(0);
      // Only the worker's own: a tool call it makes may put anything it likes on its own command line.
      for (const line of workers) expect(line.includes(MARKER)).toBe(false);
      if (workerKind === 'fixture') {
        const pane = await h.invoke('terminal.attach', { paneId: card.assignmentId });
        expect(pane.scrollback).toContain(`Working on: ${PROMPT}`);
      } else {
        expect((workerKind === 'claude' ? claude : codex).prompts().map((p) => p.prompt)).toEqual([PROMPT]);
      }
    });
  }
});

describe('a worker that exits before reading its prompt', () => {
  it('fails its closeout, and the write to its closed stdin (EPIPE) does not reach the host', async () => {
    const { h } = await fleet({ claude: { exitBeforeReading: true } });
    // The longest prompt the contract takes, in 3-byte characters: 300 KB, more than the socket's
    // buffer, so the write is still going when the worker is gone (without a listener, the host dies).
    const card = await h.invoke('tasks.create', task({ prompt: '€'.repeat(100_000) }));
    const closed = await h.closedCard(card.assignmentId);
    expect(closed.state).toBe('failed');
    expect(closed.closeout.blockers).toContain('worker_crashed');
    expect((await h.invoke('cards.list', {})).map((c) => c.assignmentId)).toEqual([card.assignmentId]);
  });
});

describe('secrets are masked in every projection', () => {
  /** Realistic shapes, not live credentials. */
  const KEY = 'sk-ant-api03-Xq7vR2mK9pL4tW8yB1nC5dF3gH6jZ0aS-QeUiOp_2rT4yU6iO8pA1sD3fG5hJ7kL9zX1cV3bN5mQ-AbCdEfAA';
  const TOKEN = 'ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R';

  it('a key in the prompt and the worker output is masked on the card, in assignments.get, the pane, the Inbox and the raw log view, while events.jsonl keeps it', async () => {
    const { h } = await fleet({ claude: { turnMs: 60_000 } }, { workerSilentMs: 0 });
    const card = await h.invoke('tasks.create', task({ title: `Rotate ${TOKEN}`, prompt: `use ${KEY} to call the API` }));
    const attached = await h.invoke('terminal.attach', { paneId: card.assignmentId });
    await h.connection.waitFor(() => (h.connection.latestCard(card.assignmentId)?.lastLine.startsWith('tool: Bash') ? true : undefined));
    const inbox = await h.invoke('inbox.list', {});
    await h.invoke('assignments.interrupt', { assignmentId: card.assignmentId });
    const closed = await h.closedCard(card.assignmentId);

    expect(closed.workUnit.title).toBe(`Rotate ghp_${MASK}`);
    // The branch name is made from the title: git's argv and the repository never see the token.
    expect(closed.repo.branch).toMatch(/\/rotate-ghp-masked$/);
    const silent = inbox.find((item) => item.kind === 'worker_silent' && item.refs.assignment === card.assignmentId);
    expect(silent?.title).toContain(`Rotate ghp_${MASK}`);
    const detail = await h.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.prompt).toBe(`use sk-ant-api03-${MASK} to call the API`);
    expect(detail.events.map((e) => e.summary)).toContain(`On it: use sk-ant-api03-${MASK} to call the API`);
    const pane = attached.scrollback + h.connection.terminalText(card.assignmentId);
    expect(pane).toContain(`On it: use sk-ant-api03-${MASK} to call the API`);
    const raw = await h.invoke('assignments.rawLog', { assignmentId: card.assignmentId });
    expect(raw.text).toContain(`sk-ant-api03-${MASK}`);

    // Nothing the core sent to a face holds either secret: every card, pane byte, Inbox item and reply.
    const sent = JSON.stringify([h.connection.events, inbox, detail, raw, closed]);
    expect(sent).not.toContain(KEY);
    expect(sent).not.toContain(TOKEN);
    // The raw log on disk is the provider's evidence, byte for byte (and owner-only).
    const logs = readdirSync(path.join(h.dataDir, 'runs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('events.jsonl'));
    expect(logs).toHaveLength(1);
    expect(readFileSync(path.join(h.dataDir, 'runs', logs[0]!), 'utf8')).toContain(KEY);
  });

  it('a key in the verify command and its output is masked on the card, in the verify result and in the pane', async () => {
    harness = startTestCore();
    const h = harness;
    const fixture = { durationMs: 0, fail: false, crash: false, floodBytes: 0 };
    const card = await h.invoke('tasks.create', task({ workerKind: 'fixture', fixture, verifyCommand: `echo token=${KEY}` }));
    const attached = await h.invoke('terminal.attach', { paneId: card.assignmentId });
    const closed = await h.closedCard(card.assignmentId);
    const detail = await h.invoke('assignments.get', { assignmentId: card.assignmentId });

    expect(closed.verifyCommand).toBe(`echo token=sk-ant-api03-${MASK}`);
    expect(detail.verify).toMatchObject({ passed: true, command: `echo token=sk-ant-api03-${MASK}`, output: `token=sk-ant-api03-${MASK}\n` });
    expect(attached.scrollback + h.connection.terminalText(card.assignmentId)).toContain(`token=sk-ant-api03-${MASK}`);
    expect(JSON.stringify([h.connection.events, detail])).not.toContain(KEY);
  });

  it('a key in a run name and a task list title is masked in the run, its log, the unit key, the branch and the cards', async () => {
    harness = startTestCore({ supervisorTickMs: 100 });
    const repo = makeTempRepo({ 'tasks.md': `- [ ] Rotate ${TOKEN}\n` });
    const run = await harness.invoke(
      'runs.create',
      fixtureRunInput({ name: `Sweep with ${KEY}`, source: { kind: 'task_list', path: path.join(repo, 'tasks.md') }, repoPath: repo, fixtureDurationMs: 0 }),
    );
    await harness.invoke('runs.approve', { runId: run.id });
    const closed = await harness.connection.waitFor(() => {
      const card = harness!.connection.events.map((e) => e.payload as { runId?: string; status?: string }).find((c) => c.runId === run.id && c.status === 'closed');
      return card as Awaited<ReturnType<TestCore['closedCard']>> | undefined;
    });
    const { run: shown, log } = await harness.invoke('runs.get', { runId: run.id });

    expect(shown.name).toBe(`Sweep with sk-ant-api03-${MASK}`);
    expect(log.find((entry) => entry.kind === 'claimed')?.title).toBe(`Rotate ghp_${MASK}`);
    expect(closed.workUnit.key).toMatch(/rotate-ghp-masked$/);
    expect(closed.repo.branch).not.toContain(TOKEN.slice(4, 20).toLowerCase());
    const sent = JSON.stringify([harness.connection.events, shown, log, await harness.invoke('runs.list', {})]);
    expect(sent).not.toContain(KEY);
    expect(sent.toLowerCase()).not.toContain(TOKEN.slice(4, 20).toLowerCase());
  });

  it('a key that an event summary\'s length limit would cut is masked before the cut', async () => {
    const { h } = await fleet();
    // "On it: " and 124 characters put the key's 15th body character at the summary's last place.
    const card = await h.invoke('tasks.create', task({ prompt: `${'word '.repeat(24)}abc ${KEY}` }));
    await h.closedCard(card.assignmentId);
    const summaries = (await h.invoke('assignments.get', { assignmentId: card.assignmentId })).events.map((e) => e.summary);
    expect(summaries.some((summary) => summary.includes('sk-ant-api03-…'))).toBe(true);
    expect(summaries.join('\n')).not.toContain(KEY.slice(13, 25));
  });

  it('an error that echoes its input masks a key in it', async () => {
    harness = startTestCore();
    const unknown = await harness.invokeRaw(`steal ${KEY}`, {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_command', message: expect.stringContaining(`sk-ant-api03-${MASK}`) } });
    const missing = await harness.invokeRaw('tasks.create', task({ repoPath: `/nonexistent/${KEY}` }));
    expect(missing).toMatchObject({ ok: false });
    expect(JSON.stringify([unknown, missing])).not.toContain(KEY.slice(13, 40));
  });

  it('masks every core log line', async () => {
    // The data dir's own path holds the key: the second core logs it when it finds the first holding the lock.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `khala-key=${KEY}`));
    const lines: string[] = [];
    harness = startTestCore({ dataDir, log: (line) => lines.push(line) });
    const second = startTestCore({ dataDir, log: (line) => lines.push(line) });
    await second.core.close();
    expect(lines.some((line) => line.includes(`another process (pid ${process.pid}) supervises`) && line.includes(`sk-ant-api03-${MASK}`))).toBe(true);
    expect(lines.join('\n')).not.toContain(KEY);
  });
});

describe('accounts for workers', () => {
  it('refuses work with no_ready_account and says why', async () => {
    const { h } = await fleet();
    await h.invoke('accounts.setPaused', { ref: 'claude', paused: true });
    const refused = await h.invokeRaw('tasks.create', task({}));
    expect(refused).toMatchObject({ ok: false, error: { code: 'no_ready_account', message: expect.stringContaining('claude is paused') } });
    expect(await h.invokeRaw('tasks.create', task({ workerKind: 'codex', accountRef: 'claude' }))).toMatchObject({
      ok: false,
      error: { code: 'no_ready_account', message: expect.stringContaining('claude is a claude account') },
    });
    expect(await h.invoke('cards.list', {})).toEqual([]);
  });
});

describe('worktrees, shells and restarts', () => {
  it('keeps the worktree for review and refuses to delete uncommitted work without force', async () => {
    const { h } = await fleet();
    const card = await h.invoke('tasks.create', task({ workerKind: 'fixture', fixture: { durationMs: 0, fail: false, crash: false, floodBytes: 0 } }));
    const closed = await h.closedCard(card.assignmentId);
    expect(closed.worktreeKept).toBe(true);
    const refused = await h.invokeRaw('worktrees.remove', { assignmentId: card.assignmentId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'worktree_dirty', message: expect.stringContaining('FIXTURE.md') } });
    expect(existsSync(closed.repo.worktreePath)).toBe(true);
    const removed = await h.invoke('worktrees.remove', { assignmentId: card.assignmentId, force: true });
    expect(removed.worktreeKept).toBe(false);
    expect(existsSync(closed.repo.worktreePath)).toBe(false);
    expect(git(closed.repo.path, 'branch', '--list', closed.repo.branch)).toContain(closed.repo.branch);
  });

  it('opens an interactive shell in the worktree as a pane', async () => {
    const { h } = await fleet();
    const card = await h.invoke('tasks.create', task({ workerKind: 'fixture', fixture: { durationMs: 0, fail: false, crash: false, floodBytes: 0 } }));
    const closed = await h.closedCard(card.assignmentId);
    const { paneId } = await h.invoke('shells.open', { assignmentId: card.assignmentId, cols: 120, rows: 30 });
    await h.invoke('terminal.attach', { paneId });
    await h.invoke('shells.input', { paneId, data: 'echo shell-says-$((40+2)); pwd\r' });
    await h.connection.waitFor(() => {
      const text = h.connection.terminalText(paneId);
      return text.includes('shell-says-42') && text.includes(closed.repo.worktreePath) ? true : undefined;
    });
    await h.invoke('shells.close', { paneId });
    expect(await h.invokeRaw('shells.input', { paneId: 'shell-nope', data: 'x' })).toMatchObject({ ok: false, error: { code: 'shell_not_found' } });
  });

  it.runIf(process.platform === 'linux')('ends what a previous host\'s shell left running (a background job that ignores SIGHUP) at the next start', async () => {
    const { h } = await fleet();
    const card = await h.invoke('tasks.create', task({ workerKind: 'fixture', fixture: { durationMs: 0, fail: false, crash: false, floodBytes: 0 } }));
    await h.closedCard(card.assignmentId);
    const { paneId } = await h.invoke('shells.open', { assignmentId: card.assignmentId, cols: 120, rows: 30 });
    await h.invoke('terminal.attach', { paneId });
    await h.invoke('shells.input', { paneId, data: 'nohup sleep 300 >/dev/null 2>&1 & echo "bg-pid-$!-"\r' });
    const pid = await h.connection.waitFor(() => {
      const match = /bg-pid-(\d+)-/.exec(h.connection.terminalText(paneId));
      return match ? Number(match[1]) : undefined;
    });
    await h.core.close();
    const running = () => existsSync(`/proc/${pid}`) && !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    expect(running()).toBe(true);
    harness = startTestCore({ dataDir: h.dataDir });
    await new Promise<void>((resolve) => {
      const check = () => (running() ? setImmediate(check) : resolve());
      check();
    });
    expect(running()).toBe(false);
  });

  it('a worker left running by a host that quit and kept it is re-adopted at the next start and closes out with its exact row', async () => {
    const { h } = await fleet({ claude: { turnMs: 1_500 } });
    const card = await h.invoke('tasks.create', task({}));
    await h.connection.waitFor(() => (h.connection.latestCard(card.assignmentId)?.status === 'running' ? true : undefined));
    await h.core.close({ workers: 'keep' });
    harness = startTestCore({ dataDir: h.dataDir });
    const closed = await harness.closedCard(card.assignmentId);
    expect(closed.closeout).toMatchObject({ status: 'ok', blockers: [] });
    const detail = await harness.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.events.some((e) => /^re-adopted by this host: worker \(pid \d+\) (still running|ended while no host watched)/.test(e.summary))).toBe(true);
    expect(detail.tokenRows).toHaveLength(1);
    const db = new Database(path.join(h.dataDir, 'fleet.sqlite'), { readonly: true });
    expect(db.prepare('SELECT state, release_reason FROM claims').all()).toEqual([{ state: 'released', release_reason: 'closeout_ok' }]);
    db.close();
  });
});
