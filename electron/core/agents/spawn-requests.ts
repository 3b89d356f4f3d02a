import { spawnRequestSchema, taskRequestInputSchema, type SpawnRequest, type TaskRequestInput } from '../../../shared/contract';
import type { Card } from '../../../shared/domain';
import { FleetError } from '../../../shared/errors';
import type { FleetDetail, FleetPreview } from '../../../shared/fleets';
import type { InboxItem } from '../../../shared/runs';
import { pinRepo } from '../git/repo';
import { newRef, nowIso } from '../refs';
import type { Db } from '../store/database';

interface RawSpawn {
  id: string;
  requested_by: string;
  request_json: string | null;
  fleet_root: string | null;
  state: SpawnRequest['state'];
  assignment_id: string | null;
  fleet_id: string | null;
  created_at: string;
  decided_at: string | null;
}

/** The seed's pin: the repository must be on the branch and at the commit the request names (a short sha matches its prefix). */
export async function checkPin(request: Pick<TaskRequestInput, 'repoPath' | 'branch' | 'commit'>): Promise<void> {
  const repo = await pinRepo(request.repoPath);
  if (request.branch !== undefined && repo.branch !== request.branch) {
    throw new FleetError('pin_mismatch', `${repo.root} is on branch ${repo.branch}, not the pinned ${request.branch}. Check out ${request.branch} first.`);
  }
  if (request.commit !== undefined && !repo.commit.startsWith(request.commit.toLowerCase())) {
    throw new FleetError('pin_mismatch', `${repo.root} is at ${repo.commit.slice(0, 12)}, not the pinned ${request.commit}. Check out that commit first.`);
  }
}

export interface SpawnRequestsDeps {
  db: Db;
  /** Starts an approved task (TaskService.createTask). */
  start: (request: TaskRequestInput) => Promise<Card>;
  /** Reads a fleet folder without creating anything (FleetService.preview). */
  previewFleet: (root: string) => FleetPreview;
  /** Launches an approved fleet (FleetService.launch). */
  launchFleet: (root: string) => Promise<FleetDetail>;
  /** A request was proposed or decided: the Inbox and every face hear of it. */
  changed: (spawn: SpawnRequest) => void;
}

/**
 * What agents ask to start through MCP. The seed's guardrail: a delegation keeps its approval prompt
 * and there is never silent standing authority, so a request is only stored (with an Inbox item)
 * until the owner approves it.
 */
export class SpawnRequests {
  constructor(private readonly deps: SpawnRequestsDeps) {}

  /** Checks the repository and pin at once, so an agent hears of a bad request now rather than the owner later. */
  async propose(request: TaskRequestInput, requestedBy: string): Promise<SpawnRequest> {
    await checkPin(request);
    return this.insert(requestedBy, JSON.stringify(request), null);
  }

  /** Checks the folder at once (a cycle is `fleet_cycle` with `CYCLE:a,b,...`); nothing is registered before approval. */
  proposeFleet(root: string, requestedBy: string): SpawnRequest {
    const preview = this.deps.previewFleet(root);
    if (preview.problems.length > 0) {
      const cycle = preview.problems.some((problem) => problem.code === 'cycle');
      const words = preview.problems.map((problem) => problem.message);
      // A cycle's message leads, so it starts `CYCLE:` as a launch's refusal does.
      words.sort((a, b) => Number(b.startsWith('CYCLE:')) - Number(a.startsWith('CYCLE:')));
      throw new FleetError(cycle ? 'fleet_cycle' : 'invalid_fleet_file', words.join(' '));
    }
    return this.insert(requestedBy, null, preview.root);
  }

  list(): SpawnRequest[] {
    const rows = this.deps.db.prepare(`SELECT * FROM spawn_requests ORDER BY created_at, id`).all() as RawSpawn[];
    return rows.map(project);
  }

  get(id: string): SpawnRequest {
    const row = this.deps.db.prepare(`SELECT * FROM spawn_requests WHERE id = ?`).get(id) as RawSpawn | undefined;
    if (!row) throw new FleetError('spawn_not_found', `No spawn request ${id}.`);
    return project(row);
  }

  /**
   * Decides the request before starting it, so two approvals cannot start it twice; a start that is
   * refused (a moved pin, a full disk, no ready account, a fleet that changed) puts it back to pending
   * with nothing started.
   */
  async approve(id: string): Promise<SpawnRequest> {
    const spawn = this.decide(id, 'approved');
    try {
      if (spawn.request) {
        await checkPin(spawn.request);
        const card = await this.deps.start(spawn.request);
        this.deps.db.prepare(`UPDATE spawn_requests SET assignment_id = ? WHERE id = ?`).run(card.assignmentId, id);
      } else if (spawn.fleetRoot) {
        const fleet = await this.deps.launchFleet(spawn.fleetRoot);
        this.deps.db.prepare(`UPDATE spawn_requests SET fleet_id = ? WHERE id = ?`).run(fleet.summary.id, id);
      }
    } catch (error) {
      this.deps.db.prepare(`UPDATE spawn_requests SET state = 'pending', decided_at = NULL WHERE id = ?`).run(id);
      this.changed(id);
      throw error;
    }
    return this.changed(id);
  }

  decline(id: string): SpawnRequest {
    this.decide(id, 'declined');
    return this.changed(id);
  }

  /** One approval item per pending request: what would run, where, and that nothing spends before it. */
  inboxItems(): InboxItem[] {
    return this.list()
      .filter((spawn) => spawn.state === 'pending')
      .map((spawn): InboxItem => {
        const common = {
          id: `spawn:${spawn.id}`,
          kind: 'approval_required' as const,
          severity: 'warning' as const,
          action: { kind: 'approve_spawn' as const, spawnId: spawn.id },
          createdAt: spawn.createdAt,
        };
        const { request } = spawn;
        if (!request) {
          return {
            ...common,
            title: `Approve fleet launch: ${spawn.fleetRoot}`,
            detail: `An agent asked through ${spawn.requestedBy} to launch the DAG fleet in ${spawn.fleetRoot}. Nothing is registered, run or spent before you approve.`,
            refs: { spawn: spawn.id, fleet_root: spawn.fleetRoot ?? '' },
            actionLabel: 'Approve launch',
          };
        }
        const pin = [request.branch && `branch ${request.branch}`, request.commit && `commit ${request.commit}`].filter(Boolean).join(', ');
        return {
          ...common,
          title: `Approve ${request.workerKind} spawn: ${request.title}`,
          detail: `An agent asked through ${spawn.requestedBy} for one ${request.workerKind} worker in ${request.repoPath}${pin ? ` (${pin})` : ''}, verified by \`${request.verifyCommand}\`. Nothing runs or spends before you approve.`,
          refs: { spawn: spawn.id, ...(request.accountRef ? { account: request.accountRef } : {}) },
          actionLabel: 'Approve spawn',
        };
      });
  }

  private insert(requestedBy: string, requestJson: string | null, fleetRoot: string | null): SpawnRequest {
    const id = newRef('spawn');
    this.deps.db
      .prepare(`INSERT INTO spawn_requests (id, requested_by, request_json, fleet_root, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)`)
      .run(id, requestedBy, requestJson, fleetRoot, nowIso());
    return this.changed(id);
  }

  private decide(id: string, state: 'approved' | 'declined'): SpawnRequest {
    const current = this.get(id);
    const result = this.deps.db
      .prepare(`UPDATE spawn_requests SET state = ?, decided_at = ? WHERE id = ? AND state = 'pending'`)
      .run(state, nowIso(), id);
    if (result.changes !== 1) throw new FleetError('spawn_not_pending', `Spawn request ${id} was already ${this.get(id).state}.`);
    return current;
  }

  private changed(id: string): SpawnRequest {
    const spawn = this.get(id);
    this.deps.changed(spawn);
    return spawn;
  }
}

function project(row: RawSpawn): SpawnRequest {
  return spawnRequestSchema.parse({
    id: row.id,
    state: row.state,
    requestedBy: row.requested_by,
    request: row.request_json === null ? null : taskRequestInputSchema.parse(JSON.parse(row.request_json)),
    fleetRoot: row.fleet_root,
    assignmentId: row.assignment_id,
    fleetId: row.fleet_id,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  });
}
