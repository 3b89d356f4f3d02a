import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain';
import { makeTempRepo, tempDir } from '../test-support/temp-repo';
import { buildWebHost, startWebHost, type WebHostProcess } from '../test-support/web-host-process';
import { findTree, isSameProcess, killProcessTree, workerMarker, type ProcessIdentity } from '../core/workers/process-tree';

/** Workers that finish their turn at once and then wait in verify until the test opens the gate. */
const VERIFYING = 10;
/** Workers still streaming their turn when the host is killed. */
const STREAMING = 10;
/** Long enough that the streaming workers are mid-turn when the host dies, short enough for the suite. */
const STREAMING_MS = 25_000;

let script: string;
const hosts: WebHostProcess[] = [];
const dataDirs: string[] = [];
beforeAll(async () => {
  script = await buildWebHost();
}, 120_000);
afterEach(async () => {
  for (const host of hosts.splice(0)) {
    host.client.close();
    if (host.child.exitCode === null && host.child.signalCode === null) {
      host.child.kill('SIGTERM');
      await host.exited;
    }
  }
  // A host stopped here keeps its workers by design: a test that failed midway must not leave them running.
  for (const dataDir of dataDirs.splice(0)) {
    for (const r of supervised(dataDir)) await killProcessTree({ rootPid: () => null, marker: workerMarker(r.id) }, { graceMs: 0 });
  }
});

async function start(dataDir: string, args: string[] = []): Promise<WebHostProcess> {
  if (!dataDirs.includes(dataDir)) dataDirs.push(dataDir);
  const host = await startWebHost(script, dataDir, args);
  hosts.push(host);
  return host;
}

/** Follows card pushes until `done` holds for the latest card of every assignment. */
function cardsUntil(host: WebHostProcess, ids: () => string[], done: (cards: Map<string, Card>) => boolean): Promise<Map<string, Card>> {
  const latest = new Map<string, Card>();
  return host.client.waitForEvent((event, payload) => {
    if (event !== 'card.updated') return undefined;
    const card = payload as Card;
    latest.set(card.assignmentId, card);
    return ids().every((id) => latest.has(id)) && done(latest) ? latest : undefined;
  });
}

interface Recorded {
  id: string;
  worker: ProcessIdentity | null;
  verify: ProcessIdentity | null;
}

function supervised(dataDir: string): Recorded[] {
  const db = new Database(path.join(dataDir, 'fleet.sqlite'), { readonly: true });
  const rows = db
    .prepare('SELECT assignment_id AS id, worker_pid, worker_process_start, verify_pid, verify_process_start FROM worker_supervision')
    .all() as { id: string; worker_pid: number | null; worker_process_start: string | null; verify_pid: number | null; verify_process_start: string | null }[];
  db.close();
  const identity = (pid: number | null, startTime: string | null) => (pid !== null && startTime !== null ? { pid, startTime } : null);
  return rows.map((r) => ({ id: r.id, worker: identity(r.worker_pid, r.worker_process_start), verify: identity(r.verify_pid, r.verify_process_start) }));
}

function query<T>(dataDir: string, sql: string): T[] {
  const db = new Database(path.join(dataDir, 'fleet.sqlite'), { readonly: true });
  const rows = db.prepare(sql).all() as T[];
  db.close();
  return rows;
}

function task(repoPath: string, title: string, durationMs: number, verifyCommand: string) {
  return { title, repoPath, prompt: `Do ${title}`, verifyCommand, workerKind: 'fixture', fixture: { durationMs } };
}

describe.runIf(process.platform === 'linux')('workers outlive the host', () => {
  it('kill -9 of the host with 20 workers mid-run (some streaming, some in verify): the next start re-adopts every one, each closes out once with its exact rows, nothing stale, no orphan, no double claim', async () => {
    const dataDir = tempDir();
    const repo = makeTempRepo();
    const gate = path.join(tempDir('khala-gate-'), 'open');
    const waitForGate = `while [ ! -e '${gate}' ]; do sleep 0.05; done`;
    const first = await start(dataDir);
    const ids: string[] = [];
    // The long ones first, so they still stream when the last quick one is waiting in verify.
    for (let i = 0; i < STREAMING; i += 1) ids.push((await first.client.invoke<Card>('tasks.create', task(repo, `stream ${i}`, STREAMING_MS, 'true'))).assignmentId);
    for (let i = 0; i < VERIFYING; i += 1) ids.push((await first.client.invoke<Card>('tasks.create', task(repo, `verify ${i}`, 0, waitForGate))).assignmentId);
    await cardsUntil(first, () => ids, (cards) => {
      const statuses = [...cards.values()].map((card) => card.status);
      return statuses.filter((s) => s === 'verifying').length === VERIFYING && statuses.filter((s) => s === 'running').length === STREAMING;
    });
    const before = supervised(dataDir);
    expect(before.filter((r) => r.verify !== null)).toHaveLength(VERIFYING);

    first.child.kill('SIGKILL');
    await first.exited;
    // Every worker and every verify command goes on without its host.
    for (const r of before) expect(isSameProcess((r.verify ?? r.worker)!), `${r.id} runs after the host died`).toBe(true);

    const second = await start(dataDir);
    const closedAll = cardsUntil(second, () => ids, (cards) => ids.every((id) => cards.get(id)?.status === 'closed'));
    writeFileSync(gate, '');
    const closed = await closedAll;
    for (const id of ids) expect(closed.get(id)!.closeout, `${id}: ${JSON.stringify(closed.get(id)!.closeout.checks.filter((c) => !c.ok))}`).toMatchObject({ status: 'ok', blockers: [] });

    const events = query<{ summary: string }>(dataDir, `SELECT summary FROM assignment_events WHERE summary LIKE 're-adopted by this host%'`);
    // A streaming worker is found still running, or (on a slow machine) ended while no host watched: either way it is read on, not lost.
    expect(events.filter((e) => e.summary.startsWith('re-adopted by this host: worker'))).toHaveLength(STREAMING);
    expect(events.filter((e) => e.summary.includes('still running')).length).toBeGreaterThan(0);
    expect(events.filter((e) => e.summary.startsWith('re-adopted by this host: verify'))).toHaveLength(VERIFYING);
    // Exactly one exact row per turn, never one twice; exactly one closeout each.
    const rows = query<{ task_ref: string; n: number }>(dataDir, 'SELECT task_ref, COUNT(*) AS n FROM token_usage_rows GROUP BY task_ref');
    expect(rows.map((r) => r.n)).toEqual(ids.map(() => 1));
    expect(query<{ n: number }>(dataDir, 'SELECT COUNT(*) AS n FROM closeouts')[0]!.n).toBe(ids.length);
    expect(query(dataDir, `SELECT 1 FROM closeouts WHERE blockers LIKE '%stale%'`)).toEqual([]);
    // One claim per unit, each released by its closeout.
    const claims = query<{ work_unit_id: string; state: string; release_reason: string }>(dataDir, 'SELECT work_unit_id, state, release_reason FROM claims');
    expect(new Set(claims.map((c) => c.work_unit_id)).size).toBe(claims.length);
    expect(claims.every((c) => c.state === 'released' && c.release_reason === 'closeout_ok')).toBe(true);
    // Nothing left running: no recorded process, and nothing that carries a worker's marker.
    for (const r of supervised(dataDir)) {
      for (const identity of [r.worker, r.verify]) if (identity) expect(isSameProcess(identity), `${r.id} pid ${identity.pid}`).toBe(false);
      expect(findTree({ rootPid: () => null, marker: workerMarker(r.id) })).toEqual([]);
    }
    console.log(`kill -9 with ${ids.length} workers: ${STREAMING} re-adopted mid-turn, ${VERIFYING} re-adopted in verify; all closed out ok with one row each`);
  }, 120_000);

  it('browser mode stopped with Ctrl-C keeps its workers running by default, and the next start finishes them', async () => {
    const dataDir = tempDir();
    const repo = makeTempRepo();
    const first = await start(dataDir);
    const card = await first.client.invoke<Card>('tasks.create', task(repo, 'outlive a quit', 3_000, 'true'));
    await cardsUntil(first, () => [card.assignmentId], (cards) => cards.get(card.assignmentId)?.status === 'running');
    first.child.kill('SIGINT');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain('1 worker keep running in the background');
    const [recorded] = supervised(dataDir);
    expect(isSameProcess(recorded!.worker!)).toBe(true);

    const second = await start(dataDir);
    const closed = await cardsUntil(second, () => [card.assignmentId], (cards) => cards.get(card.assignmentId)?.status === 'closed');
    expect(closed.get(card.assignmentId)!.closeout).toMatchObject({ status: 'ok', blockers: [] });
  }, 60_000);

  it('browser mode started with --stop-workers stops them when it stops: interrupted, closed out, nothing left', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir, ['--stop-workers']);
    const card = await first.client.invoke<Card>('tasks.create', task(makeTempRepo(), 'stopped at quit', 60_000, 'true'));
    await cardsUntil(first, () => [card.assignmentId], (cards) => cards.get(card.assignmentId)?.status === 'running');
    const [recorded] = supervised(dataDir);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain('Stopped, and stopped 1 worker.');
    expect(isSameProcess(recorded!.worker!)).toBe(false);
    expect(findTree({ rootPid: () => null, marker: workerMarker(card.assignmentId) })).toEqual([]);
    const closeouts = query<{ status: string; blockers: string }>(dataDir, 'SELECT status, blockers FROM closeouts');
    expect(closeouts).toHaveLength(1);
    expect(closeouts[0]!.status).toBe('failed');
    expect(JSON.parse(closeouts[0]!.blockers)).toContain('interrupted');
  }, 60_000);
});
