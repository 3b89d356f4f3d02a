-- The indexes the hot queries need at hundreds of assignments: a run's live workers and attempts
-- (every tick, every dispatch), a unit's outcomes, an account's busy count and the unfinished set.
-- Without them each was a scan of its table. Live claims need none: the partial unique index
-- claims_one_live_per_unit already holds exactly them.
CREATE INDEX assignments_by_run ON assignments (run_id, status) WHERE run_id IS NOT NULL;
CREATE INDEX assignments_by_unit ON assignments (work_unit_id, run_id);
CREATE INDEX assignments_by_account ON assignments (account_ref, status);
CREATE INDEX assignments_unfinished ON assignments (created_at) WHERE status != 'closed';
