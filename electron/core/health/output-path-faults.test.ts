import Database from 'better-sqlite3';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/contract';
import type { FleetRun, InboxItem, NewRunInput } from '../../../shared/runs';
import { makeTempRepo, tempDir } from '../../test-support/temp-repo';
import { fixtureRunInput } from '../../test-support/run-input';
import { RecordingConnection, startTestCore, type TestCore } from '../../test-support/test-core';
import { whenExists } from '../../test-support/when-exists';

/** Enough output that the worker is still printing when the test changes things under it. */
const FLOOD_BYTES = 4_000_000;
/** Fast ticks keep the run tests brief; the rules are the same at any speed. */
const TICK_MS = 100;
/** Longer than any test: only an explicit host.checkDisk clears a full disk here. */
const NO_RECHECK_MS = 60 * 60 * 1000;

let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

/**
 * A repository whose `git worktree add` waits in its post-checkout hook until the test releases it:
 * the assignment's folder exists then, and its worker has not started, so the test can change what
 * the worker will write to. The hook reports the worktree it is checking out.
 */
function gatedRepo(): { repo: string; reached: string; release: string } {
  const repo = makeTempRepo();
  const gate = tempDir('khala-gate-');
  const reached = path.join(gate, 'reached');
  const release = path.join(gate, 'release');
  const hook = path.join(repo, '.git', 'hooks', 'post-checkout');
  writeFileSync(hook, `#!/bin/sh\npwd > "${reached}.tmp" && mv "${reached}.tmp" "${reached}"\nwhile [ ! -e "${release}" ]; do sleep 0.02; done\n`);
  chmodSync(hook, 0o755);
  return { repo, reached, release };
}

function assignmentDir(dataDir: string, assignmentId: string): string {
  const runs = path.join(dataDir, 'runs');
  const task = readdirSync(runs).find((t) => existsSync(path.join(runs, t, assignmentId)));
  if (!task) throw new Error(`no folder for ${assignmentId}`);
  return path.join(runs, task, assignmentId);
}

function inboxOf(h: TestCore): InboxItem[] | undefined {
  const last = h.connection.events.filter((e) => e.event === 'inbox.updated').at(-1);
  return last?.payload as InboxItem[] | undefined;
}

interface AckingViewer {
  connection: RecordingConnection;
  /** The pane's text as this viewer got it: replay, then live chunks. */
  text(): string;
  /** Chunks that did not start where the previous one ended (never expected). */
  outOfOrder(): number;
}

/** A viewer that attaches to the pane and acknowledges every chunk at once, as a parsed xterm would. */
async function ackingViewer(h: TestCore, paneId: string): Promise<AckingViewer> {
  const connection = new RecordingConnection();
  h.core.connect(connection);
  let text = '';
  let end = 0;
  let outOfOrder = 0;
  const record = connection.emit.bind(connection);
  connection.emit = (event, payload) => {
    record(event, payload);
    if (event !== 'terminal.data') return;
    const chunk = payload as EventPayload<'terminal.data'>;
    if (chunk.paneId !== paneId) return;
    if (chunk.start !== end) outOfOrder += 1;
    text += chunk.data;
    end = chunk.start + chunk.data.length;
    void h.core.router.invoke('terminal.ack', { paneId, chars: chunk.data.length }, connection);
  };
  const replay = await h.core.router.invoke('terminal.attach', { paneId }, connection);
  if (!replay.ok) throw new Error(replay.error.message);
  const value = replay.value as { scrollback: string; end: number };
  text = value.scrollback + text;
  end = Math.max(end, value.end);
  return { connection, text: () => text, outOfOrder: () => outOfOrder };
}

function runInput(repoPath: string): NewRunInput {
  return fixtureRunInput({ name: 'Sweep while the disk is full', source: { kind: 'fixture', units: 2 }, repoPath, fixtureDurationMs: 100 });
}

function latestRun(h: TestCore, runId: string): FleetRun | undefined {
  for (let i = h.connection.events.length - 1; i >= 0; i -= 1) {
    const e = h.connection.events[i]!;
    if (e.event === 'run.updated' && (e.payload as FleetRun).id === runId) return e.payload as FleetRun;
  }
  return undefined;
}

describe('a full disk on the output path (the kernel returns ENOSPC)', () => {
  it('keeps the host and the worker, pauses new dispatch with disk_full, and resumes after the disk is checked again', async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS, diskRecheckMs: NO_RECHECK_MS });
    const h = harness;
    const gated = gatedRepo();
    const creating = h.invoke('tasks.create', {
      title: 'Flood a full disk',
      repoPath: gated.repo,
      prompt: 'Print a lot',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 100, floodBytes: FLOOD_BYTES },
    });
    await whenExists(gated.reached);
    const assignmentId = path.basename(readFileSync(gated.reached, 'utf8').trim());
    const dir = assignmentDir(h.dataDir, assignmentId);
    // Every write to /dev/full fails with ENOSPC: the transcript the host writes is on a full disk. (The
    // worker writes its raw log itself, straight to its file: a worker on a really full disk fails its
    // own writes, as it fails writing code in its worktree.)
    symlinkSync('/dev/full', path.join(dir, 'transcript.log'));
    writeFileSync(gated.release, '');
    const card = await creating;
    const viewer = await ackingViewer(h, card.assignmentId);

    const closed = await h.closedCard(card.assignmentId, 60_000);
    expect(closed.closeout.status).toBe('failed');
    expect(closed.closeout.blockers).toContain('raw_log_missing');
    // The pane's viewer got the whole flood live although none of it reached the transcript.
    expect(viewer.text().length).toBeGreaterThan(FLOOD_BYTES);
    expect(viewer.outOfOrder()).toBe(0);
    const detail = await h.invoke('assignments.get', { assignmentId: card.assignmentId });
    const lost = detail.events.filter((e) => e.summary.startsWith('output not saved'));
    expect(lost).toHaveLength(1);
    expect(lost[0]!.summary).toMatch(/^output not saved: disk full, \d+ bytes lost \(transcript\.log\)/);
    const lostBytes = Number(/(\d+) bytes lost/.exec(lost[0]!.summary)![1]);
    expect(lostBytes).toBeGreaterThan(FLOOD_BYTES);
    console.log(`ENOSPC: ${lostBytes} bytes of worker output refused by the kernel; host up, worker finished, closeout ${closed.closeout.blockers.join(', ')}`);

    const diskItem = inboxOf(h)?.find((item) => item.kind === 'disk_full');
    expect(diskItem).toMatchObject({ severity: 'critical', action: { kind: 'check_disk' }, actionLabel: 'Check disk again' });
    expect(inboxOf(h)?.[0]?.kind).toBe('disk_full');

    const refused = await h.invokeRaw('tasks.create', {
      title: 'Second',
      repoPath: makeTempRepo(),
      prompt: 'p',
      verifyCommand: 'true',
      workerKind: 'fixture',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'disk_full' } });

    const run = await h.invoke('runs.create', runInput(makeTempRepo()));
    await h.invoke('runs.approve', { runId: run.id });
    const waiting = await h.connection.waitFor(() => (latestRun(h, run.id)?.waiting === 'disk_full' ? latestRun(h, run.id) : undefined));
    expect(waiting.counts.active).toBe(0);
    expect(waiting.waitingDetail).toContain('disk full');

    // The owner frees the disk and checks again: dispatch resumes.
    rmSync(path.join(dir, 'transcript.log'));
    expect(await h.invoke('host.checkDisk', {})).toMatchObject({ diskFull: false });
    expect(inboxOf(h)?.some((item) => item.kind === 'disk_full')).toBe(false);
    const dispatched = await h.connection.waitFor(() => {
      const latest = latestRun(h, run.id);
      return latest && latest.counts.active + latest.counts.done + (latest.counts.awaitingReview ?? 0) > 0 ? latest : undefined;
    });
    expect(dispatched.waiting).not.toBe('disk_full');
  }, 90_000);

  it('pauses dispatch when statfs shows less than the minimum free space, without filling a disk', async () => {
    harness = startTestCore({ diskMinFreeBytes: Number.MAX_SAFE_INTEGER, supervisorTickMs: TICK_MS });
    const h = harness;
    const refused = await harness.invokeRaw('tasks.create', {
      title: 'Too little room',
      repoPath: makeTempRepo(),
      prompt: 'p',
      verifyCommand: 'true',
      workerKind: 'fixture',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    expect(await harness.invoke('host.checkDisk', {})).toMatchObject({ diskFull: true });
    const items = await harness.invoke('inbox.list', {});
    expect(items[0]).toMatchObject({ kind: 'disk_full', action: { kind: 'check_disk' } });
    expect(await harness.invokeRaw('host.dismissFault', { faultId: 'disk_full' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const run = await h.invoke('runs.create', runInput(makeTempRepo()));
    await h.invoke('runs.approve', { runId: run.id });
    const waiting = await h.connection.waitFor(() => (latestRun(h, run.id)?.waiting === 'disk_full' ? latestRun(h, run.id) : undefined));
    expect(waiting.waitingDetail).toMatch(/MB free in .*, below the \d+ MB the host keeps free/);
    expect(waiting.counts.active).toBe(0);
  });
});

describe('the assignment folder deleted under a running worker (ENOENT)', () => {
  it('keeps the host up, recreates or reports the output files, says what was lost, and closes out', async () => {
    harness = startTestCore();
    const h = harness;
    const card = await h.invoke('tasks.create', {
      title: 'Flood then lose the folder',
      repoPath: makeTempRepo(),
      prompt: 'Print a lot',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 1_500, floodBytes: FLOOD_BYTES },
    });
    const dir = assignmentDir(h.dataDir, card.assignmentId);
    const viewer = await ackingViewer(h, card.assignmentId);
    // Once output is flowing, the whole folder goes: raw log, stderr log, transcript and the worker's home.
    await viewer.connection.waitFor(() => viewer.text().length > 0 || undefined);
    rmSync(dir, { recursive: true, force: true });

    const closed = await h.closedCard(card.assignmentId, 60_000);
    // Whether the raw log was recreated for the rest of the flood or lost whole, the closeout says it is not complete.
    expect(closed.closeout.blockers).toContain('raw_log_missing');
    expect(viewer.outOfOrder()).toBe(0);
    const faults = inboxOf(h)?.filter((item) => item.kind === 'host_fault' && item.refs.assignment === card.assignmentId) ?? [];
    expect(faults.length).toBeGreaterThan(0);
    expect(faults[0]).toMatchObject({ severity: 'warning', action: { kind: 'dismiss_fault' }, actionLabel: 'Dismiss' });
    const detail = await h.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.events.some((e) => e.summary.startsWith('output not saved: its folder was deleted'))).toBe(true);
    console.log(`ENOENT: folder deleted mid-flood; ${faults.length} host fault(s); closeout ${closed.closeout.blockers.join(', ')}`);

    const faultId = (faults[0]!.action as { faultId: string }).faultId;
    await h.invoke('host.dismissFault', { faultId });
    expect((await h.invoke('inbox.list', {})).some((item) => item.id === faults[0]!.id)).toBe(false);
  }, 90_000);
});

describe('a store error on the output path', () => {
  it('keeps the worker and the host, shows a host fault, and the closeout names the missing token rows', async () => {
    harness = startTestCore();
    const h = harness;
    // From a second connection to the same file, token rows can no longer be written.
    const other = new Database(path.join(h.dataDir, 'fleet.sqlite'));
    other.exec(`CREATE TRIGGER refuse_token_rows BEFORE INSERT ON token_usage_rows BEGIN SELECT RAISE(ABORT, 'token rows refused by the test'); END;`);
    other.close();

    const card = await h.invoke('tasks.create', {
      title: 'Rows that cannot be written',
      repoPath: makeTempRepo(),
      prompt: 'p',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 100 },
    });
    const closed = await h.closedCard(card.assignmentId, 60_000);
    expect(closed.closeout.blockers).toContain('token_rows_missing');
    const fault = inboxOf(h)?.find((item) => item.kind === 'host_fault' && item.refs.assignment === card.assignmentId);
    expect(fault?.detail).toContain('token rows refused by the test');
    expect(fault?.title).toBe('A record could not be written to the store');
  }, 60_000);
});

describe('the token rows table renamed under a running worker', () => {
  it('keeps the host up and says what failed in the Inbox, though no closeout can be judged', async () => {
    harness = startTestCore();
    const h = harness;
    const card = await h.invoke('tasks.create', {
      title: 'Lose the table',
      repoPath: makeTempRepo(),
      prompt: 'p',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 1_000 },
    });
    const other = new Database(path.join(h.dataDir, 'fleet.sqlite'));
    other.exec('ALTER TABLE token_usage_rows RENAME TO token_usage_rows_moved');
    other.close();

    // The worker's token row, its card and its closeout all need the table: each failure is a fault, none an exit.
    const faults = await h.connection.waitFor(() => {
      const items = inboxOf(h)?.filter((item) => item.kind === 'host_fault' && item.refs.assignment === card.assignmentId) ?? [];
      return items.some((item) => item.title === "A worker's supervision stopped before its closeout") ? items : undefined;
    });
    expect(faults.map((item) => item.detail).join('\n')).toContain('no such table');
    expect(await h.invoke('host.info', {})).toMatchObject({ version: 'test' });
    console.log(`renamed token table: host up, ${faults.length} host faults: ${faults.map((item) => item.title).join('; ')}`);
  }, 60_000);
});

describe('a pane viewer that stops acknowledging', () => {
  it('is detached after the stall timeout while the worker finishes and an acking viewer gets every byte in order', async () => {
    const stallTimeoutMs = 300;
    const logged: string[] = [];
    harness = startTestCore({ viewerStallTimeoutMs: stallTimeoutMs, log: (line) => logged.push(line) });
    const h = harness;
    const card = await h.invoke('tasks.create', {
      title: 'Flood two viewers',
      repoPath: makeTempRepo(),
      prompt: 'p',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 100, floodBytes: FLOOD_BYTES },
    });
    const paneId = card.assignmentId;
    const stalled = new RecordingConnection();
    h.core.connect(stalled);
    expect(await h.core.router.invoke('terminal.attach', { paneId }, stalled)).toMatchObject({ ok: true });
    const acking = await ackingViewer(h, paneId);

    const detached = await stalled.waitFor(() => stalled.events.find((e) => e.event === 'terminal.detached')?.payload as EventPayload<'terminal.detached'> | undefined);
    expect(detached).toMatchObject({ paneId, reason: 'stalled' });
    expect(detached.unackedChars).toBeGreaterThan(100_000);
    expect(logged.filter((line) => line.includes('detached from flow control'))).toEqual([expect.stringContaining(stalled.id)]);

    await h.closedCard(card.assignmentId, 60_000);
    const transcript = readFileSync(path.join(assignmentDir(h.dataDir, paneId), 'transcript.log'), 'utf8');
    expect(acking.outOfOrder()).toBe(0);
    expect(acking.text().length).toBe(transcript.length);
    expect(acking.text() === transcript).toBe(true);
    console.log(`stalled viewer: detached with ${detached.unackedChars} characters unacknowledged; the acking viewer got all ${transcript.length} characters in order`);
  }, 90_000);
});
