import type { FixtureOptions } from '../../../shared/contract';
import type { FleetState, FleetWorkerState, ResolvedFleetWorker } from '../../../shared/fleets';
import { FleetError } from '../../../shared/errors';
import { newRef, nowIso } from '../refs';
import type { Db } from '../store/database';

export interface FleetRow {
  id: string;
  name: string;
  root: string;
  state: FleetState;
  workers: ResolvedFleetWorker[];
  layers: string[][];
  /** A `fixture` worker's scripted run by worker id (our no-spend extension's `fixture` key in fleet.json). */
  fixture: Record<string, Partial<FixtureOptions>>;
  maxConcurrent: number;
  maxBudgetFleet: number | null;
  createdAt: string;
  endedAt: string | null;
}

export interface FleetWorkerRow {
  workerId: string;
  state: FleetWorkerState;
  reason: string | null;
  assignmentId: string | null;
  relaunches: number;
  startedAt: string | null;
  endedAt: string | null;
}

/** One exact token row of a fleet's assignment, with the worker it belongs to. */
export interface FleetTokenRow {
  workerId: string;
  assignmentId: string;
  provider: string;
  model: string;
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
  total: number;
  costAmount: number | null;
}

/** A feed row as stored: `kind` is a lifecycle kind (from the trigger) or `worker_state` (ours). */
export interface FleetFeedRow {
  id: number;
  workerId: string;
  at: string;
  kind: string;
  text: string;
}

/** Lifecycle kinds the feed shows; the rest (accepted, completed, …) repeat what these already say. */
const FEED_KINDS = ['runtime_started', 'runtime_progress', 'runtime_finished', 'runtime_failed', 'interrupted', 'closeout_submitted', 'worker_state'];
const FEED_KINDS_SQL = FEED_KINDS.map((kind) => `'${kind}'`).join(', ');

interface RawFleet {
  id: string;
  name: string;
  root: string;
  state: FleetState;
  definition: string;
  max_concurrent: number;
  max_budget_fleet: number | null;
  created_at: string;
  ended_at: string | null;
}

function fleetFromRaw(raw: RawFleet): FleetRow {
  const definition = JSON.parse(raw.definition) as { workers: ResolvedFleetWorker[]; layers: string[][]; fixture?: FleetRow['fixture'] };
  return {
    id: raw.id,
    name: raw.name,
    root: raw.root,
    state: raw.state,
    workers: definition.workers,
    layers: definition.layers,
    fixture: definition.fixture ?? {},
    maxConcurrent: raw.max_concurrent,
    maxBudgetFleet: raw.max_budget_fleet,
    createdAt: raw.created_at,
    endedAt: raw.ended_at,
  };
}

/** The fleet registry and its workers' states: every fleet by name and by root. */
export class FleetStore {
  constructor(private readonly db: Db) {}

  /** Registers a fleet with every worker `waiting`, in one transaction. */
  create(input: Pick<FleetRow, 'name' | 'root' | 'workers' | 'layers' | 'fixture' | 'maxConcurrent' | 'maxBudgetFleet'>): FleetRow {
    const id = newRef('flt');
    const at = nowIso();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO fleets (id, name, root, state, definition, max_concurrent, max_budget_fleet, created_at)
           VALUES (?, ?, ?, 'running', ?, ?, ?, ?)`,
        )
        .run(id, input.name, input.root, JSON.stringify({ workers: input.workers, layers: input.layers, fixture: input.fixture }), input.maxConcurrent, input.maxBudgetFleet, at);
      const insert = this.db.prepare(`INSERT INTO fleet_workers (fleet_id, worker_id, state) VALUES (?, ?, 'waiting')`);
      for (const worker of input.workers) insert.run(id, worker.id);
    })();
    return this.get(id);
  }

  find(id: string): FleetRow | undefined {
    const raw = this.db.prepare('SELECT * FROM fleets WHERE id = ?').get(id) as RawFleet | undefined;
    return raw && fleetFromRaw(raw);
  }

  get(id: string): FleetRow {
    const row = this.find(id);
    if (!row) throw new FleetError('fleet_not_found', `No fleet ${id}.`);
    return row;
  }

  byName(name: string): FleetRow | undefined {
    const raw = this.db.prepare('SELECT * FROM fleets WHERE name = ?').get(name) as RawFleet | undefined;
    return raw && fleetFromRaw(raw);
  }

  byRoot(root: string): FleetRow | undefined {
    const raw = this.db.prepare('SELECT * FROM fleets WHERE root = ?').get(root) as RawFleet | undefined;
    return raw && fleetFromRaw(raw);
  }

  list(): FleetRow[] {
    return (this.db.prepare('SELECT * FROM fleets ORDER BY created_at DESC, id').all() as RawFleet[]).map(fleetFromRaw);
  }

  running(): FleetRow[] {
    return (this.db.prepare(`SELECT * FROM fleets WHERE state = 'running' ORDER BY created_at, id`).all() as RawFleet[]).map(fleetFromRaw);
  }

  setFleetState(id: string, state: FleetState): void {
    this.db.prepare('UPDATE fleets SET state = ?, ended_at = ? WHERE id = ?').run(state, state === 'running' ? null : nowIso(), id);
  }

  workers(fleetId: string): FleetWorkerRow[] {
    const rows = this.db.prepare('SELECT * FROM fleet_workers WHERE fleet_id = ? ORDER BY worker_id').all(fleetId) as {
      worker_id: string;
      state: FleetWorkerState;
      reason: string | null;
      assignment_id: string | null;
      relaunches: number;
      started_at: string | null;
      ended_at: string | null;
    }[];
    return rows.map((r) => ({
      workerId: r.worker_id,
      state: r.state,
      reason: r.reason,
      assignmentId: r.assignment_id,
      relaunches: r.relaunches,
      startedAt: r.started_at,
      endedAt: r.ended_at,
    }));
  }

  /** Moves a worker to a new state and records the change in the feed, together; `ended` stamps its end. */
  setWorkerState(fleetId: string, workerId: string, state: FleetWorkerState, reason: string | null, feedText: string | null, ended = false): void {
    const at = nowIso();
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE fleet_workers SET state = ?, reason = ?, ended_at = CASE WHEN ? THEN ? ELSE ended_at END WHERE fleet_id = ? AND worker_id = ?')
        .run(state, reason, ended ? 1 : 0, at, fleetId, workerId);
      if (feedText !== null) this.addFeed(fleetId, workerId, at, feedText);
    })();
  }

  /** Only the reason (a dispatch that failed and will be retried): the state stays. */
  setWorkerReason(fleetId: string, workerId: string, reason: string | null): void {
    this.db.prepare('UPDATE fleet_workers SET reason = ? WHERE fleet_id = ? AND worker_id = ?').run(reason, fleetId, workerId);
  }

  /** A dispatched worker: its assignment, now running; a relaunch counts one more. */
  markDispatched(fleetId: string, workerId: string, assignmentId: string, relaunch: boolean): void {
    this.db
      .prepare(
        `UPDATE fleet_workers SET state = 'running', reason = NULL, assignment_id = ?, started_at = ?, ended_at = NULL,
           relaunches = relaunches + ? WHERE fleet_id = ? AND worker_id = ?`,
      )
      .run(assignmentId, nowIso(), relaunch ? 1 : 0, fleetId, workerId);
  }

  /** Every exact token row of the fleet's assignments (every attempt of every worker). */
  tokenRows(fleetId: string): FleetTokenRow[] {
    return this.db
      .prepare(
        `SELECT a.fleet_worker_id AS workerId, a.id AS assignmentId, r.provider, r.model, r.input, r.output, r.reasoning,
           r.cache_read AS cacheRead, r.cache_write AS cacheWrite, r.total, r.cost_amount AS costAmount
         FROM token_usage_rows r JOIN assignments a ON a.id = r.task_ref
         WHERE a.fleet_id = ? ORDER BY r.rowid`,
      )
      .all(fleetId) as FleetTokenRow[];
  }

  /** The latest message an assignment's worker logged, and when it last logged anything at all. */
  lastActivity(assignmentId: string): { lastMessage: string; lastActivityAt: string | null } {
    const message = this.db
      .prepare(`SELECT summary FROM assignment_events WHERE assignment_id = ? AND kind = 'runtime_progress' ORDER BY seq DESC LIMIT 1`)
      .pluck()
      .get(assignmentId) as string | undefined;
    const at = this.db.prepare('SELECT MAX(at) FROM assignment_events WHERE assignment_id = ?').pluck().get(assignmentId) as string | null;
    return { lastMessage: message ?? '', lastActivityAt: at };
  }

  addFeed(fleetId: string, workerId: string, at: string, text: string): void {
    this.db
      .prepare(`INSERT INTO fleet_feed (fleet_id, worker_id, assignment_id, at, kind, text) VALUES (?, ?, NULL, ?, 'worker_state', ?)`)
      .run(fleetId, workerId, at, text);
  }

  /** Feed rows after `after`, oldest first, optionally of one worker. */
  feed(fleetId: string, options: { workerId: string | null; after: number; limit: number }): FleetFeedRow[] {
    const byWorker = options.workerId === null ? '' : 'AND worker_id = ?';
    const params: unknown[] = [fleetId, options.after];
    if (options.workerId !== null) params.push(options.workerId);
    params.push(options.limit);
    return this.db
      .prepare(
        `SELECT id, worker_id AS workerId, at, kind, text FROM fleet_feed
         WHERE fleet_id = ? AND id > ? AND kind IN (${FEED_KINDS_SQL}) ${byWorker} ORDER BY id LIMIT ?`,
      )
      .all(...params) as FleetFeedRow[];
  }

  /** The highest feed cursor of a fleet (0 when it has none). */
  feedEnd(fleetId: string): number {
    return (this.db.prepare('SELECT MAX(id) FROM fleet_feed WHERE fleet_id = ?').pluck().get(fleetId) as number | null) ?? 0;
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }
}
