import type { Account } from '../../../shared/accounts';
import { coolingDown, usable } from '../../../shared/capacity';

/** Milliseconds since the epoch; injected so cooldowns and backoffs are tested without sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export { coolingDown, usable };

/**
 * The one capacity rule: why an account cannot take another worker now (readiness, pause, cooldown,
 * slots), or null when it can. The inventory, the dispatch gate and the supervisor all ask this.
 */
export function whyUnavailable(account: Account, now: number): string | null {
  if (account.readiness !== 'ready') return `${account.ref} is ${account.readiness.replace(/_/g, ' ')}`;
  if (account.paused) return `${account.ref} is paused`;
  if (coolingDown(account, now)) return `${account.ref} is cooling down until ${account.cooldownUntil}`;
  if (account.busy >= account.slots) return `${account.ref} has no free slot (${account.busy}/${account.slots} busy)`;
  return null;
}

/** Slots an account could take a worker in now: none while it is not ready, paused or cooling down. */
export function freeSlotsOf(account: Account, now: number): number {
  if (!usable(account) || coolingDown(account, now)) return 0;
  return Math.max(0, account.slots - account.busy);
}

/** What a run asks of its accounts: how many workers at once, and at most how many on one account. */
export interface RunLimits {
  targetConcurrency: number;
  maxPerAccount: number;
}

/** How many more workers a run may start before it reaches its target concurrency. */
export function roomUnderTarget(limits: RunLimits, inFlight: number): number {
  return Math.max(0, limits.targetConcurrency - inFlight);
}

/** A run's workers in flight per account, from the account each runs on. */
export function workersPerAccount(accountRefs: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ref of accountRefs) counts.set(ref, (counts.get(ref) ?? 0) + 1);
  return counts;
}

/** Accounts that already carry the run's per-account maximum: none of them takes another of its units. */
export function accountsAtRunMax(limits: RunLimits, accountRefs: Iterable<string>): Set<string> {
  return new Set([...workersPerAccount(accountRefs)].filter(([, n]) => n >= limits.maxPerAccount).map(([ref]) => ref));
}

/** What one account offers a run now: its free slots, but no more than the run's room on it. */
export function offeredToRun(account: Account, limits: RunLimits, runWorkersOnAccount: number, now: number): number {
  return Math.max(0, Math.min(freeSlotsOf(account, now), limits.maxPerAccount - runWorkersOnAccount));
}

/**
 * The free slots a run could use now: what its accounts offer, capped by its room under its target.
 * `accountRefs` names the account of each of its workers in flight.
 */
export function runFreeSlots(accounts: readonly Account[], limits: RunLimits, accountRefs: readonly string[], now: number): number {
  const onAccount = workersPerAccount(accountRefs);
  const offered = accounts.reduce((sum, account) => sum + offeredToRun(account, limits, onAccount.get(account.ref) ?? 0, now), 0);
  return Math.min(offered, roomUnderTarget(limits, accountRefs.length));
}

/** Why no account of those a piece of work may use takes it now. */
export type NoAccountReason = 'no_ready_accounts' | 'cooldown_all_accounts' | 'all_accounts_busy';

/**
 * The wait reason when none of these accounts could take a worker: none usable at all, every usable
 * one cooling down, or the usable ones busy (slots or a run's per-account maximum).
 */
export function whyNoAccount(accounts: readonly Account[], now: number): NoAccountReason {
  const working = accounts.filter(usable);
  if (working.length === 0) return 'no_ready_accounts';
  if (working.every((account) => coolingDown(account, now))) return 'cooldown_all_accounts';
  return 'all_accounts_busy';
}
