import type { Account, LoginMethod, Provider, Readiness } from '../../../shared/accounts';
import { FleetError } from '../../../shared/errors';
import { nowIso } from '../refs';
import type { Db } from '../store/database';
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
  last_checked_at: string | null;
  created_at: string;
}

function fromRaw(raw: RawAccount, busy: number): Account {
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
    lastCheckedAt: raw.last_checked_at,
    createdAt: raw.created_at,
  };
}

/** How many assignments are running on an account right now: its busy slots. */
const BUSY_SQL = `SELECT COUNT(*) FROM assignments WHERE account_ref = ? AND status IN ('accepted', 'running', 'verifying')`;

export interface Probe {
  readiness: Readiness;
  detail: string;
  identity: string | null;
}

export class AccountStore {
  constructor(private readonly db: Db) {}

  list(): Account[] {
    const rows = this.db.prepare('SELECT * FROM accounts ORDER BY provider, created_at, ref').all() as RawAccount[];
    const busy = this.db.prepare(BUSY_SQL).pluck();
    return rows.map((row) => fromRaw(row, busy.get(row.ref) as number));
  }

  find(ref: string): Account | undefined {
    const raw = this.db.prepare('SELECT * FROM accounts WHERE ref = ?').get(ref) as RawAccount | undefined;
    return raw && fromRaw(raw, this.db.prepare(BUSY_SQL).pluck().get(ref) as number);
  }

  get(ref: string): Account {
    const account = this.find(ref);
    if (!account) throw new FleetError('account_not_found', `No account ${ref}.`);
    return account;
  }

  refs(): string[] {
    return this.db.prepare('SELECT ref FROM accounts').pluck().all() as string[];
  }

  insert(input: { ref: string; provider: Provider; homeDir: string; authMethod: LoginMethod; probe: Probe }): Account {
    const now = nowIso();
    this.db
      .prepare(
        `INSERT INTO accounts (ref, provider, home_dir, auth_method, readiness, readiness_detail, identity, last_checked_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(input.ref, input.provider, input.homeDir, input.authMethod, input.probe.readiness, input.probe.detail, input.probe.identity, now, now);
    return this.get(input.ref);
  }

  recordProbe(ref: string, probe: Probe): Account {
    this.db
      .prepare('UPDATE accounts SET readiness = ?, readiness_detail = ?, identity = COALESCE(?, identity), last_checked_at = ? WHERE ref = ?')
      .run(probe.readiness, probe.detail, probe.identity, nowIso(), ref);
    return this.get(ref);
  }

  setAuthMethod(ref: string, method: LoginMethod): void {
    this.db.prepare('UPDATE accounts SET auth_method = ? WHERE ref = ?').run(method, ref);
  }

  setPaused(ref: string, paused: boolean): Account {
    this.get(ref);
    this.db.prepare('UPDATE accounts SET paused = ? WHERE ref = ?').run(paused ? 1 : 0, ref);
    return this.get(ref);
  }

  setSlots(ref: string, slots: number): Account {
    this.get(ref);
    this.db.prepare('UPDATE accounts SET slots = ? WHERE ref = ?').run(slots, ref);
    return this.get(ref);
  }

  setCooldown(ref: string, until: string | null): Account {
    this.get(ref);
    this.db.prepare('UPDATE accounts SET cooldown_until = ? WHERE ref = ?').run(until, ref);
    return this.get(ref);
  }

  /** How many of the account's latest closeouts in a row ended on a rate limit, looking back at most `limit`. */
  rateLimitStreak(ref: string, limit: number): number {
    const blockers = this.db
      .prepare(
        `SELECT c.blockers FROM closeouts c JOIN assignments a ON a.id = c.assignment_id
         WHERE a.account_ref = ? ORDER BY c.submitted_at DESC, c.rowid DESC LIMIT ?`,
      )
      .pluck()
      .all(ref, limit) as string[];
    const streak = blockers.findIndex((json) => !(JSON.parse(json) as string[]).includes('rate_limited'));
    return streak === -1 ? blockers.length : streak;
  }

  remove(ref: string): void {
    this.db.prepare('DELETE FROM accounts WHERE ref = ?').run(ref);
  }

  setting(key: string): string | undefined {
    return this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  }

  saveSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
