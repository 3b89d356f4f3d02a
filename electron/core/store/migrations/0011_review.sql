-- Review and merge: what each finished assignment changed, its pull request, and where its merge stands.
CREATE TABLE assignment_reviews (
  assignment_id TEXT PRIMARY KEY REFERENCES assignments (id),
  -- `+N -M, F files`, measured at closeout and after each review action (never on a card push).
  diff_files INTEGER,
  diff_added INTEGER,
  diff_removed INTEGER,
  diff_at TEXT,
  pushed_branch TEXT,
  pr_number INTEGER,
  pr_url TEXT,
  pr_state TEXT CHECK (pr_state IN ('open', 'closed', 'merged')),
  -- NULL until a wave reaches it; 'done' only once merged into the base AND verified there.
  merge_state TEXT CHECK (merge_state IN ('merge_conflict', 'verify_failed', 'done')),
  merge_detail TEXT NOT NULL DEFAULT '',
  merge_commit TEXT,
  merged_at TEXT
);

-- Merge waves: assignments merged in order into a base branch, each verified on the integrated state.
CREATE TABLE merge_waves (
  id TEXT PRIMARY KEY,
  run_id TEXT,
  repo_path TEXT NOT NULL,
  base_branch TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'conflict', 'verify_failed', 'failed')),
  -- JSON: the steps in merge order, each with its state and detail.
  steps TEXT NOT NULL,
  stopped_at TEXT,
  conflict_files TEXT NOT NULL DEFAULT '[]',
  detail TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX merge_waves_by_state ON merge_waves (state, updated_at);

-- A run's review options: open a pull request at each successful closeout.
CREATE TABLE run_review_options (
  run_id TEXT PRIMARY KEY REFERENCES fleet_runs (id),
  create_pr_on_closeout INTEGER NOT NULL DEFAULT 0
);
