import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetDetail, FleetSummary } from '../../../shared/fleets';
import type { InboxItem } from '../../../shared/runs';
import { makeFakeCli } from '../../test-support/fake-cli';
import { startTestCore, type TestCore } from '../../test-support/test-core';

/** Fast ticks and short fixture runs keep the tests brief; the rules are the same at any speed. */
const TICK_MS = 50;
const API_KEY = 'sk-ant-api03-test';
let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

interface WorkerSpec {
  id: string;
  depends_on?: string[];
  provider?: string;
  fixture?: Record<string, unknown>;
}

/** A fleet folder as the seed's operator writes it: fleet.json and workers/<id>/prompt.md. */
function fleetFolder(name: string, workers: WorkerSpec[], config: Record<string, unknown> = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'khala-fleet-'));
  writeFileSync(
    path.join(root, 'fleet.json'),
    JSON.stringify({ fleet_name: name, config: { provider: 'fixture', type: 'write', fixture: { durationMs: 150 }, ...config }, workers }, null, 2),
  );
  for (const worker of workers) {
    mkdirSync(path.join(root, 'workers', worker.id), { recursive: true });
    writeFileSync(path.join(root, 'workers', worker.id, 'prompt.md'), `Task of ${worker.id}\n`);
  }
  return root;
}

function core(): TestCore {
  harness = startTestCore({ fleetTickMs: TICK_MS });
  return harness;
}

/** The first pushed summary of the fleet in this state. */
function fleetState(h: TestCore, fleetId: string, state: FleetSummary['state']): Promise<FleetSummary> {
  return h.connection.waitFor(
    () =>
      h.connection.events
        .filter((e) => e.event === 'fleet.updated')
        .map((e) => e.payload as FleetSummary)
        .find((s) => s.id === fleetId && s.state === state),
    60_000,
  );
}

function readDb(h: TestCore): Database.Database {
  return new Database(path.join(h.dataDir, 'fleet.sqlite'), { readonly: true });
}

function tree(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[]).sort();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const byId = (detail: FleetDetail, id: string) => detail.workers.find((w) => w.id === id)!;

describe('DAG fleets', () => {
  it('runs a 10-worker fleet (diamond, fan-in, independent chain) layer by layer, never more than max_concurrent at once', async () => {
    const h = core();
    const root = fleetFolder(
      'ten',
      [
        { id: 'a' },
        { id: 'b', depends_on: ['a'] },
        { id: 'c', depends_on: ['a'] },
        { id: 'd', depends_on: ['b', 'c'] },
        { id: 'e' },
        { id: 'f' },
        { id: 'g' },
        { id: 'h', depends_on: ['e', 'f', 'g'] },
        { id: 'i' },
        { id: 'j', depends_on: ['i'] },
      ],
      { max_concurrent: 2 },
    );
    const launched = await h.invoke('fleets.launch', { root });
    expect(launched.layers).toEqual([['a', 'e', 'f', 'g', 'i'], ['b', 'c', 'h', 'j'], ['d']]);
    const done = await fleetState(h, launched.summary.id, 'finished');
    expect(done.counts.succeeded).toBe(10);

    const db = readDb(h);
    const runs = db
      .prepare('SELECT fleet_worker_id AS id, created_at, started_at, ended_at FROM assignments WHERE fleet_id = ? ORDER BY created_at, rowid')
      .all(launched.summary.id) as { id: string; created_at: string; started_at: string; ended_at: string }[];
    db.close();
    const order = runs.map((r) => r.id);
    console.log(`start order: ${order.join(' ')}`);
    // Every worker of layer 0 was ready at once, so they start first, in id order.
    expect(order.slice(0, 5)).toEqual(['a', 'e', 'f', 'g', 'i']);
    const run = new Map(runs.map((r) => [r.id, r]));
    for (const worker of launched.workers) {
      for (const dep of worker.dependsOn) expect(run.get(dep)!.ended_at <= run.get(worker.id)!.created_at).toBe(true);
    }
    // The scheduler's own view, from every pushed summary...
    const pushed = h.connection.events.filter((e) => e.event === 'fleet.updated').map((e) => (e.payload as FleetSummary).counts.running);
    const schedulerPeak = Math.max(...pushed);
    // ...and the processes' lifetimes as the store recorded them (an end sorts before a start at the same instant).
    const edges = runs.flatMap((r) => [
      { at: r.started_at, delta: 1 },
      { at: r.ended_at, delta: -1 },
    ]);
    edges.sort((x, y) => x.at.localeCompare(y.at) || x.delta - y.delta);
    let live = 0;
    let processPeak = 0;
    for (const edge of edges) {
      live += edge.delta;
      processPeak = Math.max(processPeak, live);
    }
    console.log(`peak running: scheduler ${schedulerPeak}, processes ${processPeak} (max_concurrent 2)`);
    expect(schedulerPeak).toBe(2);
    expect(processPeak).toBeLessThanOrEqual(2);
    expect(existsSync(path.join(root, 'report.md'))).toBe(true);
  });

  it('refuses a cycle with CYCLE: and its members, creating no row, folder or process', async () => {
    const h = core();
    const root = fleetFolder('loop', [{ id: 'a', depends_on: ['c'] }, { id: 'b', depends_on: ['a'] }, { id: 'c', depends_on: ['b'] }, { id: 'z' }]);
    const before = tree(root);
    const result = await h.invokeRaw('fleets.launch', { root });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('fleet_cycle');
    expect(result.error.message).toMatch(/^CYCLE:[abc],[abc],[abc]/);
    expect(new Set(result.error.message.slice('CYCLE:'.length).split(/[ (]/)[0]!.split(','))).toEqual(new Set(['a', 'b', 'c']));
    expect(tree(root)).toEqual(before);
    const db = readDb(h);
    for (const table of ['fleets', 'fleet_workers', 'assignments', 'work_units', 'fleet_feed']) {
      expect(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get()).toBe(0);
    }
    db.close();
    expect(await h.invoke('fleets.list', {})).toEqual([]);
  });

  it('blocks the dependents of a failed worker (dependency_failed) while an independent branch finishes', async () => {
    const h = core();
    const root = fleetFolder('faults', [
      { id: 'a', fixture: { fail: true } },
      { id: 'b', depends_on: ['a'] },
      { id: 'c', depends_on: ['b'] },
      { id: 'x' },
      { id: 'y', depends_on: ['x'] },
    ]);
    const launched = await h.invoke('fleets.launch', { root });
    await fleetState(h, launched.summary.id, 'finished');
    const detail = await h.invoke('fleets.get', { fleet: 'faults' });
    expect(byId(detail, 'a').state).toBe('failed');
    expect(byId(detail, 'b')).toMatchObject({ state: 'blocked', reason: 'dependency_failed: a failed', assignmentId: null });
    expect(byId(detail, 'c')).toMatchObject({ state: 'blocked', reason: 'dependency_failed: a failed', assignmentId: null });
    expect(byId(detail, 'x').state).toBe('succeeded');
    expect(byId(detail, 'y').state).toBe('succeeded');
    // The same fleet by its root, and its feed: messages, tool calls and state changes in cursor order.
    expect((await h.invoke('fleets.get', { fleet: root })).summary.id).toBe(launched.summary.id);
    const feed = await h.invoke('fleets.feed', { fleet: 'faults', after: 0, limit: 2000 });
    const kinds = new Set(feed.entries.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['message', 'tool_call', 'tool_result', 'state']));
    expect(feed.entries.map((e) => e.cursor)).toEqual([...feed.entries.map((e) => e.cursor)].sort((p, q) => p - q));
    expect(feed.entries.some((e) => e.workerId === 'b' && e.text.includes('blocked: dependency_failed: a failed'))).toBe(true);
    const onlyY = await h.invoke('fleets.feed', { fleet: 'faults', workerId: 'y', after: 0, limit: 2000 });
    expect(onlyY.entries.length).toBeGreaterThan(0);
    expect(onlyY.entries.every((e) => e.workerId === 'y')).toBe(true);
    const paged = await h.invoke('fleets.feed', { fleet: 'faults', after: feed.entries[2]!.cursor, limit: 3 });
    expect(paged.entries).toEqual(feed.entries.slice(3, 6));
    // Pushed live too, the same entries.
    const pushed = h.connection.events.filter((e) => e.event === 'fleet.feed').flatMap((e) => (e.payload as { entries: { cursor: number }[] }).entries.map((x) => x.cursor));
    expect(pushed).toEqual(feed.entries.map((e) => e.cursor));
  });

  it('stops launching at the fleet budget: the workers after it are held, with a budget_reached Inbox item', async () => {
    const claude = makeFakeCli('claude', { validApiKey: API_KEY, turnCostUsd: 0.05, turnMs: 50 });
    const h = core();
    await h.invoke('settings.update', { claudePath: claude.path });
    expect(await h.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: API_KEY })).toMatchObject({ state: 'approved' });
    const root = fleetFolder('budget', [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }], { provider: 'claude', max_concurrent: 1, max_budget_fleet: 0.08 });
    const launched = await h.invoke('fleets.launch', { root });
    const done = await fleetState(h, launched.summary.id, 'finished');
    expect(done.counts).toMatchObject({ succeeded: 2, held: 2 });
    expect(done.spend).toEqual({ usd: expect.closeTo(0.1, 6), truth: 'exact', priceTable: null });
    expect(done.budgetReached).toBe(true);
    const detail = await h.invoke('fleets.get', { fleet: 'budget' });
    expect(byId(detail, 'c').reason).toMatch(/^budget_reached/);
    expect(claude.prompts()).toHaveLength(2);
    const inbox = await h.invoke('inbox.list', {});
    const item = inbox.find((i: InboxItem) => i.kind === 'budget_reached' && i.refs.fleet === launched.summary.id);
    expect(item).toMatchObject({ severity: 'warning', action: { kind: 'open_fleet', fleetId: launched.summary.id } });
  });

  it('spares a worker already running when the fleet reaches its budget: only waiting and ready ones are held', async () => {
    const claude = makeFakeCli('claude', { validApiKey: API_KEY, turnCostUsd: 0.05, turnMs: 50 });
    const h = core();
    await h.invoke('settings.update', { claudePath: claude.path });
    await h.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: API_KEY });
    // `a-long` (a no-spend fixture) runs beside `b`; b's one turn spends past the budget while a-long still runs.
    const root = fleetFolder('spared', [{ id: 'a-long', provider: 'fixture', fixture: { durationMs: 20_000 } }, { id: 'b' }, { id: 'c' }, { id: 'd' }], {
      provider: 'claude',
      max_concurrent: 2,
      max_budget_fleet: 0.04,
    });
    const launched = await h.invoke('fleets.launch', { root });
    expect(['a-long', 'b'].map((id) => byId(launched, id).state)).toEqual(['running', 'running']);
    const reached = await h.connection.waitFor(() =>
      h.connection.events
        .filter((e) => e.event === 'fleet.updated')
        .map((e) => e.payload as FleetSummary)
        .find((s) => s.id === launched.summary.id && s.budgetReached),
    );
    // b's turn is counted the moment its row lands, so b itself may still be running at the budget: spared too.
    expect(reached.counts).toMatchObject({ held: 2, failed: 0, killed: 0 });
    expect(reached.counts.running + reached.counts.succeeded).toBe(2);
    const bDone = await h.connection.waitFor(() =>
      h.connection.events
        .filter((e) => e.event === 'fleet.updated')
        .map((e) => e.payload as FleetSummary)
        .find((s) => s.id === launched.summary.id && s.counts.succeeded === 1),
    );
    expect(bDone.counts).toMatchObject({ running: 1, held: 2 });
    const atBudget = await h.invoke('fleets.get', { fleet: 'spared' });
    expect(byId(atBudget, 'b').state).toBe('succeeded');
    expect(byId(atBudget, 'a-long')).toMatchObject({ state: 'running', reason: null });
    expect(byId(atBudget, 'c').reason).toMatch(/^budget_reached/);
    const db = readDb(h);
    const pid = db.prepare('SELECT pid FROM assignments WHERE id = ?').pluck().get(byId(atBudget, 'a-long').assignmentId) as number;
    db.close();
    expect(alive(pid)).toBe(true);
    // Ticks go on at the budget, and a-long goes on working: its feed keeps growing, and it is still running.
    const { cursor } = await h.invoke('fleets.feed', { fleet: 'spared', after: 0, limit: 2000 });
    await h.connection.waitFor(
      () =>
        h.connection.events
          .filter((e) => e.event === 'fleet.feed')
          .flatMap((e) => (e.payload as { entries: { cursor: number; workerId: string }[] }).entries)
          .find((entry) => entry.workerId === 'a-long' && entry.cursor > cursor),
      60_000,
    );
    expect(byId(await h.invoke('fleets.get', { fleet: 'spared' }), 'a-long')).toMatchObject({ state: 'running', reason: null });
    expect(alive(pid)).toBe(true);
  });

  it('kills one worker (its dependents blocked) and then the whole fleet: no process left, checked by pid', async () => {
    const h = core();
    const root = fleetFolder(
      'killing',
      [{ id: 'a' }, { id: 'b', depends_on: ['a'] }, { id: 'x' }, { id: 'y' }, { id: 'w', depends_on: ['y'] }],
      { max_concurrent: 3, fixture: { durationMs: 60_000 } },
    );
    const launched = await h.invoke('fleets.launch', { root });
    expect(['a', 'x', 'y'].map((id) => byId(launched, id).state)).toEqual(['running', 'running', 'running']);
    const pidOf = async (id: string) =>
      h.connection.waitFor(() => {
        const db = readDb(h);
        const pid = db.prepare('SELECT pid FROM assignments WHERE id = ?').pluck().get(byId(launched, id).assignmentId) as number | null;
        db.close();
        return pid ?? undefined;
      });
    const pids = { a: await pidOf('a'), x: await pidOf('x'), y: await pidOf('y') };
    const one = await h.invoke('fleets.kill', { fleet: 'killing', worker: 'a' });
    expect(byId(one, 'a')).toMatchObject({ state: 'killed' });
    expect(byId(one, 'b')).toMatchObject({ state: 'blocked', reason: 'dependency_failed: a killed' });
    expect(alive(pids.a)).toBe(false);
    expect(alive(pids.x) && alive(pids.y)).toBe(true);
    const refused = await h.invokeRaw('fleets.kill', { fleet: 'killing', worker: 'a' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'control_not_allowed' } });

    const all = await h.invoke('fleets.kill', { fleet: launched.summary.id, worker: 'all', force: true });
    console.log(`kill all: pids ${Object.values(pids).join(', ')} checked`);
    expect(all.summary.state).toBe('killed');
    expect(Object.values(pids).filter(alive)).toEqual([]);
    expect(all.workers.map((w) => [w.id, w.state])).toEqual([
      ['a', 'killed'],
      ['x', 'killed'],
      ['y', 'killed'],
      ['b', 'killed'],
      ['w', 'killed'],
    ]);
  });

  it('relaunches one worker after its prompt.md was edited: a new session, the old one kept as .bak, the others untouched', async () => {
    const h = core();
    const root = fleetFolder('again', [{ id: 'a' }, { id: 'b', depends_on: ['a'] }]);
    const launched = await h.invoke('fleets.launch', { root });
    await fleetState(h, launched.summary.id, 'finished');
    const before = await h.invoke('fleets.get', { fleet: 'again' });
    const sessionLog = path.join(root, 'workers', 'b', 'session.jsonl');
    const firstSession = readFileSync(sessionLog, 'utf8');
    expect(firstSession).toContain('Working on: Task of b');

    await h.invoke('fleets.savePrompt', { fleet: 'again', workerId: 'b', text: 'Second direction for b\n' });
    expect((await h.invoke('fleets.prompt', { fleet: 'again', workerId: 'b' })).text).toBe('Second direction for b\n');
    const running = await h.invoke('fleets.relaunch', { fleet: root, workerId: 'b' });
    expect(running.summary.state).toBe('running');
    expect(byId(running, 'b')).toMatchObject({ state: 'running', relaunches: 1 });
    expect(byId(running, 'b').assignmentId).not.toBe(byId(before, 'b').assignmentId);
    expect(readFileSync(`${sessionLog}.bak`, 'utf8')).toBe(firstSession);

    const seen = h.connection.events.length;
    await h.connection.waitFor(() =>
      h.connection.events.slice(seen).some((e) => e.event === 'fleet.updated' && (e.payload as FleetSummary).state === 'finished') || undefined,
    );
    const after = await h.invoke('fleets.get', { fleet: 'again' });
    expect(byId(after, 'b').state).toBe('succeeded');
    expect(byId(after, 'a')).toEqual(byId(before, 'a'));
    expect(readFileSync(sessionLog, 'utf8')).toContain('Working on: Second direction for b');
    const db = readDb(h);
    const prompt = db.prepare('SELECT prompt FROM assignments WHERE id = ?').pluck().get(byId(after, 'b').assignmentId) as string;
    db.close();
    expect(prompt).toContain('Second direction for b');
    expect(prompt).toContain(`Save ALL output files to ${root}/workers/b/output/ — use absolute paths.`);
    // A worker still waiting or running cannot be relaunched; an unknown one is named.
    expect(await h.invokeRaw('fleets.relaunch', { fleet: 'again', workerId: 'nope' })).toMatchObject({ ok: false, error: { code: 'fleet_worker_not_found' } });
  });

  it("writes report.md whose token totals equal the store's token rows", async () => {
    const h = core();
    const root = fleetFolder('reported', [{ id: 'a' }, { id: 'b', depends_on: ['a'] }, { id: 'c' }]);
    const launched = await h.invoke('fleets.launch', { root });
    await fleetState(h, launched.summary.id, 'finished');
    const report = await h.invoke('fleets.report', { fleet: 'reported' });
    expect(report.path).toBe(path.join(root, 'report.md'));
    expect(readFileSync(report.path, 'utf8')).toBe(report.markdown);
    const db = readDb(h);
    const sums = db
      .prepare(
        `SELECT COUNT(*) AS turns, SUM(r.total) AS total, SUM(r.input) AS input FROM token_usage_rows r JOIN assignments a ON a.id = r.task_ref WHERE a.fleet_id = ?`,
      )
      .get(launched.summary.id) as { turns: number; total: number; input: number };
    db.close();
    const detail = await h.invoke('fleets.get', { fleet: 'reported' });
    expect(sums.turns).toBeGreaterThan(0);
    expect(detail.workers.reduce((n, w) => n + w.tokens.total, 0)).toBe(sums.total);
    expect(detail.workers.reduce((n, w) => n + w.turns, 0)).toBe(sums.turns);
    console.log(`report totals: ${sums.turns} turns, ${sums.total} tokens in the store`);
    expect(report.markdown.replace(/[,\u202f ]/g, '')).toContain(String(sums.total));
  });

  it('refuses a second fleet with the same name, and the same root launched again', async () => {
    const h = core();
    const first = fleetFolder('twin', [{ id: 'a' }]);
    const second = fleetFolder('twin', [{ id: 'a' }]);
    const launched = await h.invoke('fleets.launch', { root: first });
    expect(await h.invokeRaw('fleets.launch', { root: second })).toMatchObject({ ok: false, error: { code: 'fleet_exists' } });
    expect(await h.invokeRaw('fleets.launch', { root: first })).toMatchObject({ ok: false, error: { code: 'control_not_allowed' } });
    expect(await h.invokeRaw('fleets.get', { fleet: 'nobody' })).toMatchObject({ ok: false, error: { code: 'fleet_not_found' } });
    await fleetState(h, launched.summary.id, 'finished');
    expect((await h.invoke('fleets.list', {})).map((s) => s.name)).toEqual(['twin']);
  });
});
