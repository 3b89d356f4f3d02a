-- DAG fleets: the registry (by name and by root), each worker's state, and the unified feed.

CREATE TABLE fleets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  root TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('running', 'finished', 'killed')),
  -- The resolved workers and Kahn layers as launched, so a later edit of fleet.json changes nothing mid-flight.
  definition TEXT NOT NULL,
  max_concurrent INTEGER NOT NULL CHECK (max_concurrent > 0),
  max_budget_fleet REAL,
  created_at TEXT NOT NULL,
  ended_at TEXT
);

CREATE TABLE fleet_workers (
  fleet_id TEXT NOT NULL REFERENCES fleets (id),
  worker_id TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('waiting', 'ready', 'running', 'succeeded', 'failed', 'killed', 'blocked', 'held')),
  reason TEXT,
  assignment_id TEXT REFERENCES assignments (id),
  relaunches INTEGER NOT NULL DEFAULT 0,
  started_at TEXT,
  ended_at TEXT,
  PRIMARY KEY (fleet_id, worker_id)
) WITHOUT ROWID;

-- The feed's cursor is this id: monotonic, in the order things happened.
CREATE TABLE fleet_feed (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fleet_id TEXT NOT NULL,
  worker_id TEXT NOT NULL,
  assignment_id TEXT,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX fleet_feed_by_fleet ON fleet_feed (fleet_id, id);

-- Every lifecycle event of a fleet's assignment joins the feed as it is written, in the same transaction.
CREATE TRIGGER fleet_feed_from_assignment_events AFTER INSERT ON assignment_events
WHEN (SELECT fleet_id FROM assignments WHERE id = NEW.assignment_id) IS NOT NULL
BEGIN
  INSERT INTO fleet_feed (fleet_id, worker_id, assignment_id, at, kind, text)
  SELECT fleet_id, fleet_worker_id, id, NEW.at, NEW.kind, NEW.summary FROM assignments WHERE id = NEW.assignment_id;
END;
