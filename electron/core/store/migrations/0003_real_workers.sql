-- Real workers: tool limits, model, retries, and worktrees kept for review until removed.

ALTER TABLE assignments ADD COLUMN worker_type TEXT NOT NULL DEFAULT 'code-run'
  CHECK (worker_type IN ('read-only', 'write', 'code-run', 'research', 'reviewer', 'orchestrator'));
ALTER TABLE assignments ADD COLUMN model TEXT;
ALTER TABLE assignments ADD COLUMN retry_of TEXT REFERENCES assignments (id);
ALTER TABLE assignments ADD COLUMN worktree_removed_at TEXT;
ALTER TABLE assignments ADD COLUMN interrupted_at TEXT;

-- A follow-up reopens an assignment; the closeout it had is kept here rather than lost.
CREATE TABLE closeout_history (
  assignment_id TEXT NOT NULL REFERENCES assignments (id),
  status TEXT NOT NULL,
  checks TEXT NOT NULL,
  blockers TEXT NOT NULL,
  proof TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  superseded_at TEXT NOT NULL
);
