import type { Account, AccountUsage, LoginMethod, Provider, Readiness } from '../../../shared/accounts';
import { systemClock, type Clock } from './capacity';
import { FleetError } from '../../../shared/errors';
import { nowIso } from '../refs';
import type { Db } from '../store/database';
import { prepared } from '../store/statements';
import { maskSecrets } from '../../../shared/secret-mask';

interface RawAccount {
  ref: string;
  provider: Provider;
  home_dir: string;
  slots: number;
  paused: number;
  readiness: Readiness;
  readiness_detail: string;
  identity: string | null;
  auth_method: LoginMethod;
  cooldown_until: string | null;
  last_reset_at: string | null;
  last_checked_at: string | null;
  created_at: string;
}

function fromRaw(raw: RawAccount, busy: number, usage: Omit<AccountUsage, 'lastResetAt'>): Account {
  return {
    ref: raw.ref,
    provider: raw.provider,
    homeDir: raw.home_dir,
    readiness: raw.readiness,
    // The CLI's own words, which may quote a refused key.
    readinessDetail: maskSecrets(raw.readiness_detail),
    identity: raw.identity,
    authMethod: raw.auth_method,
    slots: raw.slots,
    busy,
    paused: raw.paused === 1,
    cooldownUntil: raw.cooldown_until,
    usage: { ...usage, lastResetAt: raw.last_reset_at },
    lastCheckedAt: raw.last_checked_at,
    createdAt: raw.created_at,
  };
}

/** How many assignments are running on an account right now: its busy slots. */
const BUSY_SQL = `SELECT COUNT(*) FROM assignments WHERE account_ref = ? AND status IN ('accepted', 'running', 'verifying')`;

/** The providers' own usage windows: Claude and Codex both meter a rolling 5 hours and a week. */
const FIVE_HOURS_MS = 5 * 60 * 60 * 1000;
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

/** Exact tokens and completed turns (one row per turn) of an account since a time. */
const USAGE_SQL = `SELECT COALESCE(SUM(total), 0) AS tokens, COUNT(*) AS turns FROM token_usage_rows WHERE account_ref = ? AND observed_at >= ?`;

export interface Probe {
  readiness: Readiness;
  detail: string;
  identity: string | null;
}

export class AccountStore {
  constructor(
    private readonly db: Db,
    /** The meters' windows end now on this clock. */
    private readonly now: Clock = systemClock,
  ) {}

  list(): Account[] {
    const rows = prepared(this.db, 'SELECT * FROM accounts ORDER BY provider, created_at, ref').all() as RawAccount[];
    return rows.map((row) => this.withCounts(row));
  }

  find(ref: string): Account | undefined {
    const raw = prepared(this.db, 'SELECT * FROM accounts WHERE ref = ?').get(ref) as RawAccount | undefined;
    return raw && this.withCounts(raw);
  }

  private withCounts(raw: RawAccount): Account {
    const now = this.now();
    const usage = prepared(this.db, USAGE_SQL);
    const since = (ms: number) => usage.get(raw.ref, new Date(now - ms).toISOString()) as { tokens: number; turns: number };
    return fromRaw(raw, prepared(this.db, BUSY_SQL).pluck().get(raw.ref) as number, { last5h: since(FIVE_HOURS_MS), last7d: since(SEVEN_DAYS_MS) });
  }

  get(ref: string): Account {
    const account = this.find(ref);
    if (!account) throw new FleetError('account_not_found', `No account ${ref}.`);
    return account;
  }

  refs(): string[] {
    return prepared(this.db, 'SELECT ref FROM accounts').pluck().all() as string[];
  }

  insert(input: { ref: string; provider: Provider; homeDir: string; authMethod: LoginMethod; probe: Probe }): Account {
    const now = nowIso();
    prepared(this.db,
        `INSERT INTO accounts (ref, provider, home_dir, auth_method, readiness, readiness_detail, identity, last_checked_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(input.ref, input.provider, input.homeDir, input.authMethod, input.probe.readiness, input.probe.detail, input.probe.identity, now, now);
    return this.get(input.ref);
  }

  recordProbe(ref: string, probe: Probe): Account {
    prepared(this.db, 'UPDATE accounts SET readiness = ?, readiness_detail = ?, identity = COALESCE(?, identity), last_checked_at = ? WHERE ref = ?')
      .run(probe.readiness, probe.detail, probe.identity, nowIso(), ref);
    return this.get(ref);
  }

  setAuthMethod(ref: string, method: LoginMethod): void {
    prepared(this.db, 'UPDATE accounts SET auth_method = ? WHERE ref = ?').run(method, ref);
  }

  setPaused(ref: string, paused: boolean): Account {
    this.get(ref);
    prepared(this.db, 'UPDATE accounts SET paused = ? WHERE ref = ?').run(paused ? 1 : 0, ref);
    return this.get(ref);
  }

  setSlots(ref: string, slots: number): Account {
    this.get(ref);
    prepared(this.db, 'UPDATE accounts SET slots = ? WHERE ref = ?').run(slots, ref);
    return this.get(ref);
  }

  /** `resetAt`: the reset the provider named, kept as the last one seen; null keeps the one before. */
  setCooldown(ref: string, until: string, resetAt: string | null): Account {
    this.get(ref);
    prepared(this.db, 'UPDATE accounts SET cooldown_until = ?, last_reset_at = COALESCE(?, last_reset_at) WHERE ref = ?').run(until, resetAt, ref);
    return this.get(ref);
  }

  /** How many of the account's latest closeouts in a row ended on a rate limit, looking back at most `limit`. */
  rateLimitStreak(ref: string, limit: number): number {
    const blockers = prepared(this.db,
        `SELECT c.blockers FROM closeouts c JOIN assignments a ON a.id = c.assignment_id
         WHERE a.account_ref = ? ORDER BY c.submitted_at DESC, c.rowid DESC LIMIT ?`,
      )
      .pluck()
      .all(ref, limit) as string[];
    const streak = blockers.findIndex((json) => !(JSON.parse(json) as string[]).includes('rate_limited'));
    return streak === -1 ? blockers.length : streak;
  }

  remove(ref: string): void {
    prepared(this.db, 'DELETE FROM accounts WHERE ref = ?').run(ref);
  }

  setting(key: string): string | undefined {
    return prepared(this.db, 'SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  }

  saveSetting(key: string, value: string): void {
    prepared(this.db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
