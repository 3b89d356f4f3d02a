import type { Account } from '../../../shared/accounts';

/** Milliseconds since the epoch; injected so cooldowns and backoffs are tested without sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** Able to work at all, cooldown and slots aside: ready and not paused by the owner. */
export function usable(account: Account): boolean {
  return account.readiness === 'ready' && !account.paused;
}

/** An account cools down until its cooldownUntil has passed on the clock. */
export function coolingDown(account: Account, now: number): boolean {
  return account.cooldownUntil !== null && Date.parse(account.cooldownUntil) > now;
}

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
