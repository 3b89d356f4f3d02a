-- Which store this is. The same id is kept in the data dir's owner-only `store-id` marker, so a
-- fleet.sqlite swapped in from elsewhere (or restored from the wrong place) is refused at start.
CREATE TABLE store_identity (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  store_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);

INSERT INTO store_identity (singleton, store_id, created_at)
VALUES (1, lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
