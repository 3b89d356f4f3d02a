-- Supervised fleet runs: their settings, approval, and the log of claims and typed skips.

ALTER TABLE fleet_runs ADD COLUMN repo_path TEXT NOT NULL DEFAULT '';
ALTER TABLE fleet_runs ADD COLUMN branch TEXT NOT NULL DEFAULT 'main';
ALTER TABLE fleet_runs ADD COLUMN verify_command TEXT NOT NULL DEFAULT '';
ALTER TABLE fleet_runs ADD COLUMN worker_type TEXT NOT NULL DEFAULT 'code-run';
ALTER TABLE fleet_runs ADD COLUMN max_per_account INTEGER NOT NULL DEFAULT 1;
ALTER TABLE fleet_runs ADD COLUMN stop_condition TEXT NOT NULL DEFAULT 'backlog_empty'
  CHECK (stop_condition IN ('backlog_empty', 'target_count', 'manual'));
ALTER TABLE fleet_runs ADD COLUMN target_count INTEGER;
ALTER TABLE fleet_runs ADD COLUMN fixture_duration_ms INTEGER NOT NULL DEFAULT 1500;
ALTER TABLE fleet_runs ADD COLUMN approved_at TEXT;

CREATE TABLE run_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES fleet_runs (id),
  at TEXT NOT NULL,
  unit_key TEXT NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('claimed', 'skipped', 'released', 'expired')),
  reason TEXT NOT NULL,
  assignment_id TEXT
);
CREATE INDEX run_log_by_run ON run_log (run_id, id);
-- A unit's skip is logged once per run and reason, not on every tick.
CREATE UNIQUE INDEX run_log_one_skip ON run_log (run_id, unit_key, reason) WHERE kind = 'skipped';
