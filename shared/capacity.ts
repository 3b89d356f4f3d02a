import type { Account } from './accounts';

/**
 * The account half of the one capacity rule, shared so every face (the core's gate and supervisor,
 * the board's counts and badges) reads an account the same way. Slots and the run's limits are
 * applied in the core (`electron/core/accounts/capacity.ts`).
 */

/** Able to work at all, cooldown and slots aside: ready and not paused by the owner. */
export function usable(account: Account): boolean {
  return account.readiness === 'ready' && !account.paused;
}

/** An account cools down until its cooldownUntil has passed on the clock (a past one is history, not a state). */
export function coolingDown(account: Account, now: number): boolean {
  return account.cooldownUntil !== null && Date.parse(account.cooldownUntil) > now;
}

/** Whether the account could take work now, slots aside: usable and not cooling down. */
export function readyForWork(account: Account, now: number): boolean {
  return usable(account) && !coolingDown(account, now);
}
