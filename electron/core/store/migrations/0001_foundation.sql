-- The foundation: accounts, work units, claims, fleet runs, assignments and their proof.

CREATE TABLE accounts (
  ref TEXT PRIMARY KEY,
  provider TEXT NOT NULL CHECK (provider IN ('codex', 'claude')),
  home_dir TEXT NOT NULL,
  slots INTEGER NOT NULL DEFAULT 1 CHECK (slots >= 0),
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  readiness TEXT NOT NULL DEFAULT 'not_logged_in'
    CHECK (readiness IN ('ready', 'not_logged_in', 'cli_missing', 'error')),
  identity TEXT,
  cooldown_until TEXT,
  last_checked_at TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE work_units (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('task', 'github', 'task_list', 'fixture', 'dag')),
  key TEXT NOT NULL,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (source, key)
);

CREATE TABLE fleet_runs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('draft', 'running', 'paused', 'draining', 'stopped', 'completed')),
  source_kind TEXT NOT NULL,
  source_config TEXT NOT NULL,
  worker_kind TEXT NOT NULL,
  target_concurrency INTEGER NOT NULL CHECK (target_concurrency > 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  work_unit_id TEXT NOT NULL REFERENCES work_units (id),
  run_id TEXT REFERENCES fleet_runs (id),
  holder TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('claimed', 'in_progress', 'closeout', 'released', 'expired')),
  claimed_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL,
  released_at TEXT,
  release_reason TEXT
);

-- At most one live claim per work unit, enforced by the database rather than by code.
CREATE UNIQUE INDEX claims_one_live_per_unit ON claims (work_unit_id)
  WHERE state IN ('claimed', 'in_progress', 'closeout');

CREATE TABLE assignments (
  id TEXT PRIMARY KEY,
  work_unit_id TEXT NOT NULL REFERENCES work_units (id),
  claim_id TEXT NOT NULL REFERENCES claims (id),
  run_id TEXT REFERENCES fleet_runs (id),
  task_ref TEXT NOT NULL,
  worker_kind TEXT NOT NULL,
  account_ref TEXT NOT NULL,
  prompt TEXT NOT NULL,
  repo_path TEXT NOT NULL,
  branch TEXT NOT NULL,
  commit_sha TEXT NOT NULL,
  worktree_path TEXT NOT NULL,
  verify_command TEXT NOT NULL,
  options TEXT NOT NULL,
  payment_mode TEXT NOT NULL CHECK (payment_mode IN ('no-spend', 'spend')),
  payout_claim_allowed INTEGER NOT NULL CHECK (payout_claim_allowed IN (0, 1)),
  status TEXT NOT NULL CHECK (status IN ('accepted', 'running', 'verifying', 'closed')),
  pid INTEGER,
  exit_code INTEGER,
  exit_signal TEXT,
  session_ref TEXT,
  live_blockers TEXT NOT NULL DEFAULT '[]',
  lease_expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT
);
CREATE INDEX assignments_by_created ON assignments (created_at);

-- Append-only and ordered per assignment: cards and counters are projected from these rows.
CREATE TABLE assignment_events (
  assignment_id TEXT NOT NULL REFERENCES assignments (id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  summary TEXT NOT NULL,
  data TEXT,
  PRIMARY KEY (assignment_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER assignment_events_no_update BEFORE UPDATE ON assignment_events
BEGIN
  SELECT RAISE(ABORT, 'assignment_events is append-only');
END;

CREATE TRIGGER assignment_events_no_delete BEFORE DELETE ON assignment_events
BEGIN
  SELECT RAISE(ABORT, 'assignment_events is append-only');
END;

CREATE TABLE verify_results (
  assignment_id TEXT PRIMARY KEY REFERENCES assignments (id),
  command TEXT NOT NULL,
  exit_code INTEGER,
  passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
  output TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL
);

CREATE TABLE closeouts (
  assignment_id TEXT PRIMARY KEY REFERENCES assignments (id),
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  checks TEXT NOT NULL,
  blockers TEXT NOT NULL,
  proof TEXT NOT NULL,
  submitted_at TEXT NOT NULL
);

-- One row per completed provider turn; counters are projections of these rows.
CREATE TABLE token_usage_rows (
  id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  observed_at TEXT NOT NULL,
  ingested_at TEXT NOT NULL,
  account_ref TEXT NOT NULL,
  run_ref TEXT,
  session_ref TEXT,
  task_ref TEXT NOT NULL REFERENCES assignments (id),
  repository_ref TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  input INTEGER NOT NULL CHECK (input >= 0),
  output INTEGER NOT NULL CHECK (output >= 0),
  reasoning INTEGER NOT NULL CHECK (reasoning >= 0),
  cache_read INTEGER NOT NULL CHECK (cache_read >= 0),
  cache_write INTEGER NOT NULL CHECK (cache_write >= 0),
  total INTEGER NOT NULL CHECK (total = input + output + reasoning + cache_read + cache_write),
  usage_truth TEXT NOT NULL CHECK (usage_truth = 'exact'),
  cost_amount REAL,
  currency TEXT,
  demand_source TEXT NOT NULL CHECK (demand_source = 'khala_coding_delegation')
);
CREATE INDEX token_usage_rows_by_task ON token_usage_rows (task_ref);

CREATE TABLE inbox_items (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN (
    'approval_required', 'credentials_missing', 'cooldown_all_accounts', 'merge_conflict_wave',
    'claim_expired', 'run_blocked', 'mcp_failed', 'ready_for_review', 'budget_reached', 'worker_silent'
  )),
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  refs TEXT NOT NULL,
  action TEXT NOT NULL,
  title TEXT NOT NULL,
  detail TEXT NOT NULL,
  created_at TEXT NOT NULL,
  resolved_at TEXT
);
