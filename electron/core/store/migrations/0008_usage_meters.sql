-- The last reset time a provider's rate-limit message named for the account, shown beside its meters.
ALTER TABLE accounts ADD COLUMN last_reset_at TEXT;

-- The meters sum an account's rows over the providers' 5-hour and 7-day windows.
CREATE INDEX token_usage_rows_by_account ON token_usage_rows (account_ref, observed_at);
