-- Workers outlive the host: what a later host needs to re-adopt one. The process is named by its pid
-- and its start time (a recycled pid has another start time), and every output file by the offset up to
-- which its lines were recorded (in the same transaction as what they recorded), so a restarted host
-- continues each file exactly where the last one stopped and records nothing twice.
CREATE TABLE worker_supervision (
  assignment_id TEXT PRIMARY KEY REFERENCES assignments (id),
  worker_pid INTEGER,
  worker_process_start TEXT,
  verify_pid INTEGER,
  verify_process_start TEXT,
  verify_started_at TEXT,
  stdout_offset INTEGER NOT NULL DEFAULT 0,
  stderr_offset INTEGER NOT NULL DEFAULT 0,
  -- Where this run's verify output starts in verify.log (follow-ups append), and how far it was shown.
  verify_start_offset INTEGER NOT NULL DEFAULT 0,
  verify_offset INTEGER NOT NULL DEFAULT 0,
  -- The transcript and a DAG worker's session.jsonl as they were at the last checkpoint: a host that
  -- died after writing more cuts them back here before it reads on.
  transcript_bytes INTEGER NOT NULL DEFAULT 0,
  session_bytes INTEGER NOT NULL DEFAULT 0,
  -- A DAG worker's mirror of its raw log in the fleet folder (workers/<id>/session.jsonl).
  session_log TEXT
);
