-- A single spawn an agent asked for through MCP (codex_spawn / claude_spawn). Nothing runs or spends
-- until the owner approves it in the Inbox; each request is decided once.
CREATE TABLE spawn_requests (
  id TEXT PRIMARY KEY,
  requested_by TEXT NOT NULL,
  -- The task as asked (tasks.request's input, with its pin), as JSON.
  request_json TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined')),
  assignment_id TEXT,
  created_at TEXT NOT NULL,
  decided_at TEXT
);
