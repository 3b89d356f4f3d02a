-- DAG fleet workers: an assignment names the fleet and the worker it runs, so a fleet finds its
-- assignments and a closeout knows that verify is not part of it. NULL for every other assignment.

ALTER TABLE assignments ADD COLUMN fleet_id TEXT;
ALTER TABLE assignments ADD COLUMN fleet_worker_id TEXT;
CREATE INDEX assignments_by_fleet ON assignments (fleet_id, fleet_worker_id, created_at) WHERE fleet_id IS NOT NULL;
