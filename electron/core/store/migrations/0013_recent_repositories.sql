-- Starting work: the repositories the owner started tasks and runs in (the pickers offer the most
-- recent first), the verify command last used with each, and the first-run guide once dismissed.
CREATE TABLE recent_repositories (
  -- The repository's top-level folder, as the assignment or run pinned it.
  path TEXT PRIMARY KEY,
  used_at TEXT NOT NULL,
  -- Grows with every use: orders the list even when two uses share a timestamp.
  use_order INTEGER NOT NULL,
  -- The verify command last used with this repository; the next New task or New run starts with it.
  verify_command TEXT
);
CREATE INDEX recent_repositories_by_use ON recent_repositories (use_order DESC);

-- Guides the owner closed, by name: a dismissed guide is never shown again.
CREATE TABLE dismissed_guides (
  guide TEXT PRIMARY KEY,
  dismissed_at TEXT NOT NULL
);
