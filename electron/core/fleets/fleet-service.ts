import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { fixtureOptionsSchema, type FixtureOptions } from '../../../shared/contract';
import { FleetError } from '../../../shared/errors';
import {
  fleetWorkerStates,
  type composeFleetInputSchema,
  type FleetDetail,
  type FleetFeedEntry,
  type FleetPreview,
  type FleetProblem,
  type FleetSummary,
  type FleetTokens,
  type FleetWorkerState,
  type FleetWorkerView,
  type ResolvedFleetWorker,
  type Spend,
} from '../../../shared/fleets';
import { maskSecrets } from '../../../shared/secret-mask';
import type { AccountService } from '../accounts/account-service';
import { whyNoAccount, type Clock } from '../accounts/capacity';
import { RATE_LIMITED } from '../accounts/rate-limits';
import { requeueCause } from '../closeout/requeue';
import type { AssignmentStore } from '../assignments/assignment-store';
import type { TaskService } from '../assignments/task-service';
import type { ConnectionHub } from '../connection';
import type { HostHealth } from '../health/host-health';
import { nowIso } from '../refs';
import { echoPrefix } from '../router';
import { FLEET_FILE, fleetPaths, readFleetFolder, workerPromptText, writeFleetFolder } from './fleet-folder';
import type { FleetFeedRow, FleetRow, FleetStore, FleetTokenRow, FleetWorkerRow } from './fleet-store';
import { fleetAscii, fleetMermaid } from './graph-text';
import { estimateUsd, PRICE_TABLE_NAME } from './prices';
import { fleetReportMarkdown } from './report';

/** The seed's launch loop polls about once a second; a closeout pokes the scheduler sooner. */
export const FLEET_TICK_MS = 1_000;
/** The report lists at most this many output files per worker, so a worker that wrote a huge tree cannot stall the core. */
const REPORT_MAX_FILES_PER_WORKER = 500;
/** Feed entries pushed in one `fleet.feed` event; the rest follow on the next tick. */
const FEED_PUSH_BATCH = 500;
const REPORT_FILE = 'report.md';

/** States a worker leaves only by the operator's hand (or never). */
const SETTLED: ReadonlySet<FleetWorkerState> = new Set(['succeeded', 'failed', 'killed', 'blocked', 'held']);
/** States that still lead somewhere without the operator. */
const PENDING: ReadonlySet<FleetWorkerState> = new Set(['waiting', 'ready', 'held']);

const NO_TOKENS: FleetTokens = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0, total: 0 };

/**
 * The DAG fleet runtime: the registry, the scheduler (Kahn layers, `max_concurrent`, blocked
 * dependents, the fleet budget), the operator's kill and relaunch, the feed and the report. There is
 * no auto-restart, no auto-kill and no verify: only the operator steers a fleet.
 */
export class FleetService {
  private timer: NodeJS.Timeout | null = null;
  /** Every change to fleets runs one at a time (ticks, launch, kill, relaunch), so no worker starts twice. */
  private queue: Promise<unknown> = Promise.resolve();
  private tickQueued = false;
  private readonly published = new Map<string, string>();
  private readonly feedPushed = new Map<string, number>();

  constructor(
    private readonly deps: {
      fleets: FleetStore;
      store: AssignmentStore;
      tasks: TaskService;
      /** Which accounts could take a worker, to say why a ready worker waits. */
      accounts: AccountService;
      hub: ConnectionHub;
      health: HostHealth;
      tickMs: number;
      /** The clock the capacity rule reads cooldowns against. */
      now: Clock;
      log: (message: string) => void;
      /** After a tick changed something the Inbox derives from (the fleet budget). */
      changed: () => void;
    },
  ) {
    for (const fleet of deps.fleets.list()) this.feedPushed.set(fleet.id, deps.fleets.feedEnd(fleet.id));
  }

  start(): void {
    this.timer = setInterval(() => this.poke(), this.deps.tickMs);
    this.timer.unref();
    this.poke();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queue;
  }

  /** A fleet assignment closed out: its worker's end is settled and a slot refilled now. */
  closed(assignmentId: string): void {
    if (this.deps.store.find(assignmentId)?.fleetId) this.poke();
  }

  poke(): void {
    if (this.tickQueued) return;
    this.tickQueued = true;
    void this.exclusive(async () => {
      this.tickQueued = false;
      for (const fleet of this.deps.fleets.running()) await this.tickFleet(fleet.id);
      this.publish();
    }).catch((error: unknown) => this.deps.log(`fleet tick failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  }

  preview(root: string): FleetPreview {
    return readFleetFolder(root);
  }

  compose(input: z.output<typeof composeFleetInputSchema>): FleetPreview {
    writeFleetFolder(input);
    return readFleetFolder(input.root);
  }

  /** Checks the folder, registers the fleet and starts its first layer; any problem creates nothing. */
  launch(root: string): Promise<FleetDetail> {
    return this.exclusive(async () => {
      const preview = readFleetFolder(root);
      if (preview.problems.length > 0 || preview.fleetName === null) throw problemsError(preview.problems);
      const existing = this.deps.fleets.byRoot(preview.root);
      if (existing) {
        throw new FleetError(
          'control_not_allowed',
          existing.state === 'running'
            ? `Fleet ${existing.name} is already running from this folder.`
            : `Fleet ${existing.name} already ran from this folder (${existing.state}); relaunch its workers one at a time instead.`,
        );
      }
      const named = this.deps.fleets.byName(preview.fleetName);
      if (named) throw fleetExists(preview.fleetName, named.root);
      let fleet: FleetRow;
      try {
        fleet = this.deps.fleets.create({
          name: preview.fleetName,
          root: preview.root,
          workers: preview.workers,
          layers: preview.layers,
          fixture: fixtureSettings(preview.root, preview.workers),
          maxConcurrent: preview.maxConcurrent,
          maxBudgetFleet: preview.maxBudgetFleet,
        });
      } catch (error) {
        // Another process registered the same name or root between the check and the insert.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw fleetExists(preview.fleetName, preview.root);
        throw error;
      }
      this.feedPushed.set(fleet.id, 0);
      await this.tickFleet(fleet.id);
      this.publish();
      return this.detail(this.deps.fleets.get(fleet.id));
    });
  }

  list(): FleetSummary[] {
    return this.deps.fleets.list().map((fleet) => this.summary(fleet));
  }

  get(ref: string): FleetDetail {
    return this.detail(this.resolve(ref));
  }

  /** The operator's hard stop: one running worker's whole process tree, or `all` of them. */
  kill(ref: string, worker: string, force: boolean): Promise<FleetDetail> {
    return this.exclusive(async () => {
      const fleet = this.resolve(ref);
      if (worker === 'all') await this.killAll(fleet, force);
      else await this.killOne(fleet, worker);
      await this.tickFleet(fleet.id);
      this.publish();
      return this.detail(this.deps.fleets.get(fleet.id));
    });
  }

  /** Re-runs one ended worker from its prompt.md as it is now; the previous session log is kept as `.bak`. */
  relaunch(ref: string, workerId: string): Promise<FleetDetail> {
    return this.exclusive(async () => {
      const fleet = this.resolve(ref);
      const worker = this.workerOf(fleet, workerId);
      const row = this.rowOf(fleet, workerId);
      if (row.state === 'running') throw new FleetError('control_not_allowed', `Worker ${workerId} is running; kill it first, then relaunch it.`);
      if (row.state === 'waiting' || row.state === 'ready') {
        throw new FleetError('control_not_allowed', `Worker ${workerId} has not run yet (${row.state}); it starts by itself when its turn comes.`);
      }
      const states = new Map(this.deps.fleets.workers(fleet.id).map((r) => [r.workerId, r.state]));
      const unmet = worker.dependsOn.filter((dep) => states.get(dep) !== 'succeeded');
      if (unmet.length > 0) {
        const words = unmet.map((dep) => `${dep} is ${states.get(dep)}`).join(', ');
        throw new FleetError('control_not_allowed', `Worker ${workerId} needs every dependency to have succeeded first: ${words}.`);
      }
      const paths = fleetPaths(fleet.root, workerId);
      if (existsSync(paths.sessionLog)) renameSync(paths.sessionLog, paths.sessionLogBak);
      const assignmentId = await this.dispatch(fleet, worker, true);
      this.deps.fleets.addFeed(fleet.id, workerId, nowIso(), `relaunched by the operator (${assignmentId}); the previous session log is kept as session.jsonl.bak`);
      if (fleet.state !== 'running') this.deps.fleets.setFleetState(fleet.id, 'running');
      this.publish();
      return this.detail(this.deps.fleets.get(fleet.id));
    });
  }

  async prompt(ref: string, workerId: string): Promise<{ path: string; text: string }> {
    const fleet = this.resolve(ref);
    this.workerOf(fleet, workerId);
    const file = fleetPaths(fleet.root, workerId).prompt;
    return { path: file, text: existsSync(file) ? await readFile(file, 'utf8') : '' };
  }

  async savePrompt(ref: string, workerId: string, text: string): Promise<{ path: string }> {
    const fleet = this.resolve(ref);
    this.workerOf(fleet, workerId);
    const file = fleetPaths(fleet.root, workerId).prompt;
    mkdirSync(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    return { path: file };
  }

  feed(ref: string, options: { workerId: string | null; after: number; limit: number }): { entries: FleetFeedEntry[]; cursor: number } {
    const fleet = this.resolve(ref);
    if (options.workerId !== null) this.workerOf(fleet, options.workerId);
    const entries = this.deps.fleets.feed(fleet.id, options).map(feedEntry);
    return { entries, cursor: entries.at(-1)?.cursor ?? options.after };
  }

  report(ref: string): Promise<{ path: string; markdown: string }> {
    return this.writeReport(this.resolve(ref));
  }

  /** Summaries of every fleet, for the Inbox's `budget_reached` items. */
  summaries(): FleetSummary[] {
    return this.list();
  }

  /** A fleet by its name, its absolute root or its id. */
  private resolve(ref: string): FleetRow {
    const { fleets } = this.deps;
    const found = path.isAbsolute(ref) ? fleets.byRoot(path.resolve(ref)) : (fleets.byName(ref) ?? fleets.find(ref));
    if (!found) throw new FleetError('fleet_not_found', `No fleet is registered as ${echoPrefix(ref)}.`);
    return found;
  }

  private workerOf(fleet: FleetRow, workerId: string): ResolvedFleetWorker {
    const worker = fleet.workers.find((w) => w.id === workerId);
    if (!worker) throw new FleetError('fleet_worker_not_found', `Fleet ${fleet.name} has no worker ${echoPrefix(workerId)}.`);
    return worker;
  }

  private rowOf(fleet: FleetRow, workerId: string): FleetWorkerRow {
    const row = this.deps.fleets.workers(fleet.id).find((r) => r.workerId === workerId);
    if (!row) throw new FleetError('fleet_worker_not_found', `Fleet ${fleet.name} has no worker ${echoPrefix(workerId)}.`);
    return row;
  }

  private async killOne(fleet: FleetRow, workerId: string): Promise<void> {
    this.workerOf(fleet, workerId);
    const row = this.rowOf(fleet, workerId);
    if (row.state !== 'running' || row.assignmentId === null) {
      throw new FleetError('control_not_allowed', `Worker ${workerId} is not running (it is ${row.state}); only a running worker can be killed.`);
    }
    await this.killRunning(fleet, row, 'killed by the operator');
  }

  private async killAll(fleet: FleetRow, force: boolean): Promise<void> {
    if (fleet.state !== 'running') throw new FleetError('control_not_allowed', `Fleet ${fleet.name} is not running (it is ${fleet.state}).`);
    const rows = this.deps.fleets.workers(fleet.id);
    await Promise.all(rows.filter((r) => r.state === 'running' && r.assignmentId !== null).map((r) => this.killRunning(fleet, r, 'killed with the fleet by the operator')));
    for (const row of rows) {
      if (row.state === 'running' || row.state === 'succeeded' || row.state === 'failed' || row.state === 'killed') continue;
      this.deps.fleets.setWorkerState(fleet.id, row.workerId, 'killed', 'killed with the fleet by the operator', `${row.workerId} killed with the fleet (was ${row.state})`, true);
    }
    this.deps.fleets.setFleetState(fleet.id, 'killed');
    this.deps.log(`fleet ${fleet.name} killed by the operator${force ? ' (force)' : ''}`);
    await this.writeReportQuietly(this.deps.fleets.get(fleet.id));
  }

  /** Marked killed first, so the closeout that follows is read as the operator's kill, not a failure. */
  private async killRunning(fleet: FleetRow, row: FleetWorkerRow, reason: string): Promise<void> {
    this.deps.fleets.setWorkerState(fleet.id, row.workerId, 'killed', reason, `${row.workerId} ${reason}`, true);
    const pids = await this.deps.tasks.killTree(row.assignmentId!);
    this.deps.fleets.addFeed(fleet.id, row.workerId, nowIso(), `${row.workerId}: ${pids.length} process${pids.length === 1 ? '' : 'es'} stopped (${pids.join(', ') || 'none left'})`);
  }

  /** One scheduling pass over a running fleet: settle ended workers, block, hold, start, finish. */
  private async tickFleet(fleetId: string): Promise<void> {
    const { fleets, store } = this.deps;
    const fleet = fleets.get(fleetId);
    if (fleet.state !== 'running') return;
    const rows = new Map(fleets.workers(fleet.id).map((r) => [r.workerId, r]));
    const set = (workerId: string, state: FleetWorkerState, reason: string | null, text: string, ended: boolean) => {
      fleets.setWorkerState(fleet.id, workerId, state, reason, text, ended);
      rows.set(workerId, { ...rows.get(workerId)!, state, reason });
    };

    for (const row of rows.values()) {
      if (row.state !== 'running' || row.assignmentId === null) continue;
      const assignment = store.find(row.assignmentId);
      if (!assignment || assignment.status !== 'closed') continue;
      const closeout = store.closeout(assignment.id);
      if (assignment.interruptedAt !== null) set(row.workerId, 'killed', 'interrupted by the operator', `${row.workerId} killed (interrupted)`, true);
      else if (closeout?.status === 'ok') set(row.workerId, 'succeeded', null, `${row.workerId} succeeded`, true);
      else if (closeout && requeueCause(closeout.blockers)) {
        // The provider's limit (its account cools, it runs again on another) or a host crash is no fault of the worker.
        const paths = fleetPaths(fleet.root, row.workerId);
        if (existsSync(paths.sessionLog)) renameSync(paths.sessionLog, paths.sessionLogBak);
        const cause = requeueCause(closeout.blockers);
        const reason = cause === RATE_LIMITED ? `${RATE_LIMITED} on ${assignment.accountRef}: requeued` : `${cause}: requeued`;
        set(row.workerId, 'ready', reason, `${row.workerId} ${reason}; the earlier session's log is kept as session.jsonl.bak`, false);
      }
      else {
        const reason = `failed: ${closeout?.blockers.join(', ') || 'no closeout'}`;
        set(row.workerId, 'failed', reason, `${row.workerId} ${reason}`, true);
      }
    }

    const byLayer = [...fleet.workers].sort((a, b) => a.layer - b.layer || a.id.localeCompare(b.id));
    for (const worker of byLayer) {
      const row = rows.get(worker.id)!;
      if (!PENDING.has(row.state)) continue;
      const cause = blockingCause(worker, rows);
      if (cause !== null) {
        set(worker.id, 'blocked', `dependency_failed: ${cause}`, `${worker.id} blocked: dependency_failed: ${cause}`, false);
        continue;
      }
      if (row.state === 'waiting' && worker.dependsOn.every((dep) => rows.get(dep)?.state === 'succeeded')) {
        set(worker.id, 'ready', null, `${worker.id} ready`, false);
      }
    }

    const spend = spendOf(fleets.tokenRows(fleet.id));
    if (fleet.maxBudgetFleet !== null && spend.usd >= fleet.maxBudgetFleet) {
      const reason = `budget_reached: spent $${spend.usd.toFixed(2)} of $${fleet.maxBudgetFleet.toFixed(2)}`;
      for (const row of rows.values()) {
        if (row.state === 'waiting' || row.state === 'ready') set(row.workerId, 'held', reason, `${row.workerId} held: ${reason}`, false);
      }
    }

    let running = [...rows.values()].filter((r) => r.state === 'running').length;
    for (const worker of byLayer) {
      if (running >= fleet.maxConcurrent) break;
      const row = rows.get(worker.id)!;
      if (row.state !== 'ready') continue;
      try {
        await this.deps.health.assertRoom();
        const assignmentId = await this.dispatch(fleet, worker, false);
        rows.set(worker.id, { ...row, state: 'running', reason: null, assignmentId });
        running += 1;
      } catch (error) {
        // It stays ready and is tried again on a later tick; the reason says why it waits.
        const reason = error instanceof FleetError ? `${this.waitCode(worker, error)}: ${error.message}` : `dispatch_failed: ${error instanceof Error ? error.message : String(error)}`;
        if (!(error instanceof FleetError)) this.deps.log(`fleet ${fleet.name}: worker ${worker.id} could not start: ${reason}`);
        if (row.reason !== reason) {
          fleets.setWorkerReason(fleet.id, worker.id, reason);
          fleets.addFeed(fleet.id, worker.id, nowIso(), `${worker.id} waits: ${reason}`);
          rows.set(worker.id, { ...row, reason });
        }
      }
    }

    if (![...rows.values()].some((r) => r.state === 'waiting' || r.state === 'ready' || r.state === 'running')) {
      fleets.setFleetState(fleet.id, 'finished');
      await this.writeReportQuietly(fleets.get(fleet.id));
    }
  }

  /** A dispatch refused for want of an account names the capacity rule's wait reason (all cooling, busy, none ready). */
  private waitCode(worker: ResolvedFleetWorker, error: FleetError): string {
    if (error.code !== 'no_ready_account' || worker.provider === 'fixture') return error.code;
    return whyNoAccount(this.deps.accounts.list().filter((a) => a.provider === worker.provider), this.deps.now());
  }

  private async dispatch(fleet: FleetRow, worker: ResolvedFleetWorker, relaunch: boolean): Promise<string> {
    const paths = fleetPaths(fleet.root, worker.id);
    // Read at launch time: an edit to prompt.md before the worker's turn is what it gets.
    const promptMd = await readFile(paths.prompt, 'utf8');
    const card = await this.deps.tasks.dispatchFleetWorker({
      fleetId: fleet.id,
      fleetName: fleet.name,
      root: fleet.root,
      worker,
      prompt: workerPromptText(fleet.root, worker.id, promptMd),
      sessionLog: paths.sessionLog,
      fixture: fleet.fixture[worker.id],
    });
    this.deps.fleets.markDispatched(fleet.id, worker.id, card.assignmentId, relaunch);
    return card.assignmentId;
  }

  private async writeReport(fleet: FleetRow): Promise<{ path: string; markdown: string }> {
    const detail = this.detail(fleet);
    const outputFiles: Record<string, string[]> = {};
    for (const worker of fleet.workers) outputFiles[worker.id] = listFiles(fleetPaths(fleet.root, worker.id).outputDir);
    const markdown = fleetReportMarkdown(detail, { outputFiles, generatedAt: nowIso() });
    const file = path.join(fleet.root, REPORT_FILE);
    await writeFile(file, markdown);
    return { path: file, markdown };
  }

  /** The automatic report at a fleet's end: a folder that cannot take it is logged, never a crash. */
  private async writeReportQuietly(fleet: FleetRow): Promise<void> {
    try {
      await this.writeReport(fleet);
    } catch (error) {
      this.deps.log(`fleet ${fleet.name}: report.md could not be written: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private detail(fleet: FleetRow): FleetDetail {
    const views = this.workerViews(fleet);
    const graph = views.map((v) => ({ id: v.id, dependsOn: v.dependsOn, state: v.state }));
    return {
      summary: this.summary(fleet, views),
      workers: views,
      layers: fleet.layers,
      ascii: fleetAscii(fleet.layers, graph),
      mermaid: fleetMermaid(graph),
    };
  }

  private workerViews(fleet: FleetRow): FleetWorkerView[] {
    const rows = new Map(this.deps.fleets.workers(fleet.id).map((r) => [r.workerId, r]));
    const tokenRows = this.deps.fleets.tokenRows(fleet.id);
    return [...fleet.workers]
      .sort((a, b) => a.layer - b.layer || a.id.localeCompare(b.id))
      .map((worker) => {
        const row = rows.get(worker.id);
        const mine = tokenRows.filter((t) => t.workerId === worker.id);
        const activity = row?.assignmentId ? this.deps.fleets.lastActivity(row.assignmentId) : { lastMessage: '', lastActivityAt: null };
        return {
          ...worker,
          state: row?.state ?? 'waiting',
          reason: row?.reason ? maskSecrets(row.reason) : null,
          assignmentId: row?.assignmentId ?? null,
          relaunches: row?.relaunches ?? 0,
          startedAt: row?.startedAt ?? null,
          endedAt: row?.endedAt ?? null,
          turns: mine.length,
          tokens: sumTokens(mine),
          spend: spendOf(mine),
          lastMessage: maskSecrets(activity.lastMessage),
          lastActivityAt: activity.lastActivityAt,
        };
      });
  }

  private summary(fleet: FleetRow, views = this.workerViews(fleet)): FleetSummary {
    const counts = Object.fromEntries(fleetWorkerStates.map((s) => [s, 0])) as Record<FleetWorkerState, number>;
    for (const view of views) counts[view.state] += 1;
    const stateOf = new Map(views.map((v) => [v.id, v.state]));
    const layersDone = fleet.layers.filter((layer) => layer.every((id) => SETTLED.has(stateOf.get(id) ?? 'waiting'))).length;
    const spend = spendOf(this.deps.fleets.tokenRows(fleet.id));
    return {
      id: fleet.id,
      name: fleet.name,
      root: fleet.root,
      state: fleet.state,
      layersDone,
      layerCount: fleet.layers.length,
      counts,
      maxConcurrent: fleet.maxConcurrent,
      spend,
      maxBudgetFleet: fleet.maxBudgetFleet,
      budgetReached: fleet.maxBudgetFleet !== null && spend.usd >= fleet.maxBudgetFleet,
      createdAt: fleet.createdAt,
      endedAt: fleet.endedAt,
    };
  }

  /** Pushes each fleet's summary when it changed, and its new feed lines. */
  private publish(): void {
    let changed = false;
    for (const fleet of this.deps.fleets.list()) {
      const summary = this.summary(fleet);
      const text = JSON.stringify(summary);
      if (this.published.get(fleet.id) !== text) {
        this.published.set(fleet.id, text);
        this.deps.hub.broadcast('fleet.updated', summary);
        changed = true;
      }
      const after = this.feedPushed.get(fleet.id) ?? 0;
      const rows = this.deps.fleets.feed(fleet.id, { workerId: null, after, limit: FEED_PUSH_BATCH });
      if (rows.length > 0) {
        this.feedPushed.set(fleet.id, rows.at(-1)!.id);
        this.deps.hub.broadcast('fleet.feed', { fleetId: fleet.id, entries: rows.map(feedEntry) });
      }
    }
    if (changed) this.deps.changed();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Why a pending worker must be blocked: its first failed or killed dependency, or what blocked that one. */
function blockingCause(worker: ResolvedFleetWorker, rows: Map<string, FleetWorkerRow>): string | null {
  for (const dep of worker.dependsOn) {
    const row = rows.get(dep);
    if (!row) continue;
    if (row.state === 'failed' || row.state === 'killed') return `${dep} ${row.state}`;
    if (row.state === 'blocked') return row.reason?.replace(/^dependency_failed: /, '') ?? `${dep} blocked`;
  }
  return null;
}

function sumTokens(rows: readonly FleetTokenRow[]): FleetTokens {
  return rows.reduce(
    (sum, r) => ({
      input: sum.input + r.input,
      output: sum.output + r.output,
      reasoning: sum.reasoning + r.reasoning,
      cacheRead: sum.cacheRead + r.cacheRead,
      cacheWrite: sum.cacheWrite + r.cacheWrite,
      total: sum.total + r.total,
    }),
    NO_TOKENS,
  );
}

/**
 * The provider's own cost where it reported one (Claude, exact); an estimate from the named price
 * table for Codex rows, which carry none; nothing for the no-spend fixture.
 */
export function spendOf(rows: readonly FleetTokenRow[]): Spend {
  let usd = 0;
  let exact = false;
  let estimate = false;
  for (const row of rows) {
    if (row.costAmount !== null) {
      usd += row.costAmount;
      exact = true;
    } else if (row.provider === 'codex') {
      const estimated = estimateUsd(row.model, sumTokens([row]));
      if (estimated !== null) {
        usd += estimated;
        estimate = true;
      }
    }
  }
  if (estimate) return { usd, truth: 'estimate', priceTable: PRICE_TABLE_NAME };
  return { usd, truth: exact ? 'exact' : 'none', priceTable: null };
}

/** A stored feed row in the feed's words: a message, a tool call, a tool's result, or a state change. */
function feedEntry(row: FleetFeedRow): FleetFeedEntry {
  const text = maskSecrets(row.text);
  let kind: FleetFeedEntry['kind'] = 'state';
  if (row.kind === 'runtime_progress') {
    if (text.startsWith('tool: ') || text.startsWith('run: ')) kind = 'tool_call';
    else if (text.startsWith('tool failed: ') || /^exit -?\d+: /.test(text) || text.startsWith('exit null: ')) kind = 'tool_result';
    else kind = 'message';
  }
  return { cursor: row.id, at: row.at, workerId: row.workerId, kind, text };
}

/** Regular files under an output folder, relative, sorted; links are listed but never followed. */
function listFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    if (found.length >= REPORT_MAX_FILES_PER_WORKER) return;
    let names: string[];
    try {
      names = readdirSync(path.join(dir, relative)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const rel = relative ? path.join(relative, name) : name;
      let stat;
      try {
        stat = lstatSync(path.join(dir, rel));
      } catch {
        continue;
      }
      if (stat.isDirectory()) walk(rel);
      else if (found.length < REPORT_MAX_FILES_PER_WORKER) found.push(rel);
    }
  };
  walk('');
  return found;
}

/**
 * Our no-spend extension: a `fixture` key (in `config` for every worker, or on a worker) scripts a
 * fixture worker's run, e.g. `{ "durationMs": 300, "fail": true }`. The schema keeps unknown keys,
 * so it is read from the file as written; anything that is not valid fixture options is ignored.
 */
function fixtureSettings(root: string, workers: readonly ResolvedFleetWorker[]): Record<string, Partial<FixtureOptions>> {
  const settings: Record<string, Partial<FixtureOptions>> = {};
  let file: { config?: { fixture?: unknown }; workers?: { id?: unknown; fixture?: unknown }[] };
  try {
    file = JSON.parse(readFileSync(path.join(root, FLEET_FILE), 'utf8')) as typeof file;
  } catch {
    return settings;
  }
  const shared = writtenFixtureOptions(file.config?.fixture);
  for (const worker of workers) {
    if (worker.provider !== 'fixture') continue;
    settings[worker.id] = { ...shared, ...writtenFixtureOptions(file.workers?.find((w) => w.id === worker.id)?.fixture) };
  }
  return settings;
}

/** Only the options actually written, so a worker's own key never resets the config's with a default. */
function writtenFixtureOptions(value: unknown): Partial<FixtureOptions> {
  if (typeof value !== 'object' || value === null) return {};
  const parsed = fixtureOptionsSchema.safeParse(value);
  if (!parsed.success) return {};
  return Object.fromEntries(Object.entries(parsed.data).filter(([key]) => key in value)) as Partial<FixtureOptions>;
}

function problemsError(problems: readonly FleetProblem[]): FleetError {
  const cycle = problems.find((p) => p.code === 'cycle');
  if (cycle) {
    const others = problems.filter((p) => p !== cycle).map((p) => p.message);
    return new FleetError('fleet_cycle', [cycle.message, ...others].join(' '));
  }
  const words = problems.length > 0 ? problems.map((p) => p.message).join(' ') : 'fleet.json could not be read.';
  return new FleetError('invalid_fleet_file', `The fleet folder has ${problems.length || 'a'} problem${problems.length === 1 ? '' : 's'}, so nothing was started: ${words}`);
}

function fleetExists(name: string, root: string): FleetError {
  return new FleetError('fleet_exists', `A fleet named ${name} is already registered for ${echoPrefix(root)}; give this one another fleet_name.`);
}
