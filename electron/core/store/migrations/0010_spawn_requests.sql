-- What an agent asked to start through MCP: one bounded task (codex_spawn / claude_spawn) or a DAG
-- fleet launch (dag_launch). Nothing runs or spends until the owner approves it in the Inbox; each
-- request is decided once.
CREATE TABLE spawn_requests (
  id TEXT PRIMARY KEY,
  requested_by TEXT NOT NULL,
  -- A task: tasks.request's input (with its pin) as JSON. NULL for a fleet launch.
  request_json TEXT,
  -- A fleet launch: the fleet root. NULL for a task.
  fleet_root TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined')),
  -- What the approval started: the task's assignment, or the launched fleet.
  assignment_id TEXT,
  fleet_id TEXT,
  created_at TEXT NOT NULL,
  decided_at TEXT,
  CHECK ((request_json IS NULL) <> (fleet_root IS NULL))
);
