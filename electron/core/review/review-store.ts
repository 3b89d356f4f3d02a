import type { CardReview, DiffStat, MergeWave, PullRequest, ReviewStage, WaveStep } from '../../../shared/review';
import type { Db } from '../store/database';
import { prepared } from '../store/statements';
import { newRef, nowIso } from '../refs';
import { FleetError } from '../../../shared/errors';

interface RawReview {
  diff_files: number | null;
  diff_added: number | null;
  diff_removed: number | null;
  pushed_branch: string | null;
  pr_number: number | null;
  pr_url: string | null;
  pr_state: PullRequest['state'] | null;
  merge_state: 'merge_conflict' | 'verify_failed' | 'done' | null;
  merge_detail: string;
  merge_commit: string | null;
}

interface RawWave {
  id: string;
  run_id: string | null;
  repo_path: string;
  base_branch: string;
  state: MergeWave['state'];
  steps: string;
  stopped_at: string | null;
  conflict_files: string;
  detail: string;
  created_at: string;
  updated_at: string;
}

function waveFromRaw(raw: RawWave): MergeWave {
  return {
    id: raw.id,
    runId: raw.run_id,
    repoPath: raw.repo_path,
    baseBranch: raw.base_branch,
    state: raw.state,
    steps: JSON.parse(raw.steps) as WaveStep[],
    stoppedAt: raw.stopped_at,
    conflictFiles: JSON.parse(raw.conflict_files) as string[],
    detail: raw.detail,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
  };
}

/** All the review SQL: diff stats, pushed branches, pull requests, merge states and waves. */
export class ReviewStore {
  constructor(private readonly db: Db) {}

  private ensure(assignmentId: string): void {
    prepared(this.db, 'INSERT OR IGNORE INTO assignment_reviews (assignment_id) VALUES (?)').run(assignmentId);
  }

  /** The card's review facts; null for an assignment no review step has touched yet. */
  review(assignmentId: string): CardReview | null {
    const raw = prepared(this.db, 'SELECT * FROM assignment_reviews WHERE assignment_id = ?').get(assignmentId) as RawReview | undefined;
    if (!raw) return null;
    const diff: DiffStat | null = raw.diff_files === null ? null : { files: raw.diff_files, added: raw.diff_added ?? 0, removed: raw.diff_removed ?? 0 };
    const pullRequest = raw.pr_number !== null && raw.pr_url !== null && raw.pr_state !== null ? { number: raw.pr_number, url: raw.pr_url, state: raw.pr_state } : null;
    return { diff, pullRequest, pushedBranch: raw.pushed_branch, stage: stageOf(raw), detail: raw.merge_detail, mergeCommit: raw.merge_commit };
  }

  saveStat(assignmentId: string, stat: DiffStat): void {
    this.ensure(assignmentId);
    prepared(this.db, 'UPDATE assignment_reviews SET diff_files = ?, diff_added = ?, diff_removed = ?, diff_at = ? WHERE assignment_id = ?')
      .run(stat.files, stat.added, stat.removed, nowIso(), assignmentId);
  }

  savePushed(assignmentId: string, branch: string): void {
    this.ensure(assignmentId);
    prepared(this.db, 'UPDATE assignment_reviews SET pushed_branch = ? WHERE assignment_id = ?').run(branch, assignmentId);
  }

  savePullRequest(assignmentId: string, pull: PullRequest): void {
    this.ensure(assignmentId);
    prepared(this.db, 'UPDATE assignment_reviews SET pr_number = ?, pr_url = ?, pr_state = ? WHERE assignment_id = ?').run(pull.number, pull.url, pull.state, assignmentId);
  }

  saveMerge(assignmentId: string, state: 'merge_conflict' | 'verify_failed' | 'done', detail: string, commit: string | null): void {
    this.ensure(assignmentId);
    prepared(this.db, 'UPDATE assignment_reviews SET merge_state = ?, merge_detail = ?, merge_commit = ?, merged_at = ? WHERE assignment_id = ?')
      .run(state, detail, commit, state === 'done' ? nowIso() : null, assignmentId);
  }

  /** Run progress: closed-out-ok assignments of the run by review stage. */
  stagesOfRun(runId: string): { done: number; awaitingReview: number; awaitingMerge: number } {
    const rows = prepared(this.db,
        `SELECT r.* FROM assignments a JOIN closeouts c ON c.assignment_id = a.id
         LEFT JOIN assignment_reviews r ON r.assignment_id = a.id
         WHERE a.run_id = ? AND a.status = 'closed' AND c.status = 'ok'`,
      )
      .all(runId) as (RawReview | Record<string, null>)[];
    const counts = { done: 0, awaitingReview: 0, awaitingMerge: 0 };
    for (const row of rows) {
      const stage = stageOf(row as RawReview);
      if (stage === 'done') counts.done += 1;
      else if (stage === 'awaiting_review') counts.awaitingReview += 1;
      else counts.awaitingMerge += 1;
    }
    return counts;
  }

  setRunOptions(runId: string, createPrOnCloseout: boolean): void {
    prepared(this.db, 'INSERT INTO run_review_options (run_id, create_pr_on_closeout) VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET create_pr_on_closeout = excluded.create_pr_on_closeout')
      .run(runId, createPrOnCloseout ? 1 : 0);
  }

  createsPrOnCloseout(runId: string): boolean {
    return prepared(this.db, 'SELECT create_pr_on_closeout FROM run_review_options WHERE run_id = ?').pluck().get(runId) === 1;
  }

  createWave(input: { runId: string | null; repoPath: string; baseBranch: string; steps: WaveStep[] }): MergeWave {
    const id = newRef('wave');
    const at = nowIso();
    prepared(this.db,
        `INSERT INTO merge_waves (id, run_id, repo_path, base_branch, state, steps, created_at, updated_at) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)`,
      )
      .run(id, input.runId, input.repoPath, input.baseBranch, JSON.stringify(input.steps), at, at);
    return this.wave(id);
  }

  saveWave(wave: MergeWave): MergeWave {
    prepared(this.db,
        `UPDATE merge_waves SET state = ?, steps = ?, stopped_at = ?, conflict_files = ?, detail = ?, updated_at = ? WHERE id = ?`,
      )
      .run(wave.state, JSON.stringify(wave.steps), wave.stoppedAt, JSON.stringify(wave.conflictFiles), wave.detail, nowIso(), wave.id);
    return this.wave(wave.id);
  }

  wave(id: string): MergeWave {
    const raw = prepared(this.db, 'SELECT * FROM merge_waves WHERE id = ?').get(id) as RawWave | undefined;
    if (!raw) throw new FleetError('wave_not_found', `No merge wave ${id}.`);
    return waveFromRaw(raw);
  }

  /** Newest first. */
  waves(): MergeWave[] {
    return (prepared(this.db, 'SELECT * FROM merge_waves ORDER BY created_at DESC, rowid DESC').all() as RawWave[]).map(waveFromRaw);
  }

  /** Waves a previous process left running: they stopped when it did. */
  interruptedWaves(): MergeWave[] {
    return (prepared(this.db, `SELECT * FROM merge_waves WHERE state = 'running'`).all() as RawWave[]).map(waveFromRaw);
  }
}

/** The one rule for where an assignment's work stands after an ok closeout. */
function stageOf(raw: Partial<RawReview>): ReviewStage {
  if (raw.merge_state === 'done') return 'done';
  if (raw.merge_state === 'merge_conflict') return 'merge_conflict';
  if (raw.merge_state === 'verify_failed') return 'verify_failed';
  if (raw.pr_number !== null && raw.pr_number !== undefined) return 'awaiting_merge';
  return 'awaiting_review';
}
