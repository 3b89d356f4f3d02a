import { spawnRequestSchema, taskRequestInputSchema, type SpawnRequest, type TaskRequestInput } from '../../../shared/contract';
import type { Card } from '../../../shared/domain';
import { FleetError } from '../../../shared/errors';
import type { InboxItem } from '../../../shared/runs';
import { pinRepo } from '../git/repo';
import { newRef, nowIso } from '../refs';
import type { Db } from '../store/database';

interface RawSpawn {
  id: string;
  requested_by: string;
  request_json: string;
  state: SpawnRequest['state'];
  assignment_id: string | null;
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
  /** Starts the approved task (TaskService.createTask). */
  start: (request: TaskRequestInput) => Promise<Card>;
  /** A request was proposed or decided: the Inbox and every face hear of it. */
  changed: (spawn: SpawnRequest) => void;
}

/**
 * Spawns asked for by an agent through MCP. The seed's guardrail: a delegation keeps its approval
 * prompt, so a request is only stored (with an Inbox item) until the owner approves it.
 */
export class SpawnRequests {
  constructor(private readonly deps: SpawnRequestsDeps) {}

  /** Checks the repository and pin at once, so an agent hears of a bad request now rather than the owner later. */
  async propose(request: TaskRequestInput, requestedBy: string): Promise<SpawnRequest> {
    await checkPin(request);
    const id = newRef('spawn');
    this.deps.db
      .prepare(`INSERT INTO spawn_requests (id, requested_by, request_json, state, created_at) VALUES (?, ?, ?, 'pending', ?)`)
      .run(id, requestedBy, JSON.stringify(request), nowIso());
    return this.changed(id);
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
   * refused (a moved pin, a full disk, no ready account) puts it back to pending with nothing started.
   */
  async approve(id: string): Promise<SpawnRequest> {
    const spawn = this.decide(id, 'approved');
    let card: Card;
    try {
      await checkPin(spawn.request);
      card = await this.deps.start(spawn.request);
    } catch (error) {
      this.deps.db.prepare(`UPDATE spawn_requests SET state = 'pending', decided_at = NULL WHERE id = ?`).run(id);
      this.changed(id);
      throw error;
    }
    this.deps.db.prepare(`UPDATE spawn_requests SET assignment_id = ? WHERE id = ?`).run(card.assignmentId, id);
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
      .map((spawn) => {
        const { request } = spawn;
        const pin = [request.branch && `branch ${request.branch}`, request.commit && `commit ${request.commit}`].filter(Boolean).join(', ');
        return {
          id: `spawn:${spawn.id}`,
          kind: 'approval_required',
          severity: 'warning',
          title: `Approve ${request.workerKind} spawn: ${request.title}`,
          detail: `An agent asked through ${spawn.requestedBy} for one ${request.workerKind} worker in ${request.repoPath}${pin ? ` (${pin})` : ''}, verified by \`${request.verifyCommand}\`. Nothing runs or spends before you approve.`,
          refs: { spawn: spawn.id, ...(request.accountRef ? { account: request.accountRef } : {}) },
          action: { kind: 'approve_spawn', spawnId: spawn.id },
          actionLabel: 'Approve spawn',
          createdAt: spawn.createdAt,
        } satisfies InboxItem;
      });
  }

  private decide(id: string, state: 'approved' | 'declined'): SpawnRequest {
    const current = this.get(id);
    const result = this.deps.db
      .prepare(`UPDATE spawn_requests SET state = ?, decided_at = ? WHERE id = ? AND state = 'pending'`)
      .run(state, nowIso(), id);
    if (result.changes !== 1) throw new FleetError('spawn_not_pending', `Spawn request ${id} was already ${current.state}.`);
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
    request: taskRequestInputSchema.parse(JSON.parse(row.request_json)),
    assignmentId: row.assignment_id,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  });
}
