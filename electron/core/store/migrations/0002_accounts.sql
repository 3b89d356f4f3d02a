-- Accounts: how each is linked and what its last readiness probe said; owner settings.

ALTER TABLE accounts ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'device'
  CHECK (auth_method IN ('device', 'browser', 'token', 'api_key'));
ALTER TABLE accounts ADD COLUMN readiness_detail TEXT NOT NULL DEFAULT '';

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
