import type { AssignmentStore } from '../assignments/assignment-store';
import type { AccountService } from './account-service';

/** The closeout cause of a worker stopped by the provider's rate or usage limit. */
export const RATE_LIMITED = 'rate_limited';
/** With no reset time in the provider's message, an account rests this long after a rate limit. */
export const RATE_LIMIT_BACKOFF_MS = 15 * 60 * 1000;
/** This many rate limits in a row on one account trip the circuit breaker. */
export const RATE_LIMIT_BREAKER_STREAK = 3;
/** A tripped breaker rests the account this long: its limit is plainly not a short burst. */
export const RATE_LIMIT_BREAKER_COOLDOWN_MS = 2 * 60 * 60 * 1000;

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** "2 days 3 hours 4 minutes", "2h 3m", "45 seconds": the time a message says to wait, or null. */
function durationMs(text: string): number | null {
  let total = 0;
  let found = false;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)\s*(d(?:ays?)?|h(?:ours?|rs?)?|m(?:in(?:ute)?s?)?|s(?:ec(?:ond)?s?)?)\b/gi)) {
    total += Number(amount) * UNIT_MS[unit![0]!.toLowerCase()]!;
    found = true;
  }
  return found ? total : null;
}

/**
 * The reset time a provider's rate-limit message names ("try again in 2h 3m", "resets at
 * 2026-12-02T10:00:00Z"), in epoch ms, or null when it names none. Neither CLI gives it as a field.
 */
export function resetTimeIn(message: string, now: number): number | null {
  const wait = /try again in ([^.;,]+)/i.exec(message);
  const ms = wait ? durationMs(wait[1]!) : null;
  if (ms !== null) return now + ms;
  const at = /(?:resets?|try again) at ([^;]+?)(?:\.(?:\s|$)|;|$)/i.exec(message);
  const parsed = at ? Date.parse(at[1]!.trim()) : NaN;
  return Number.isNaN(parsed) || parsed <= now ? null : parsed;
}

/** When a rate-limited account may work again: the reset named, else the backoff; longer once the breaker trips. */
export function cooldownEnd(message: string, streak: number, now: number): number {
  const named = resetTimeIn(message, now) ?? now + RATE_LIMIT_BACKOFF_MS;
  return streak >= RATE_LIMIT_BREAKER_STREAK ? Math.max(named, now + RATE_LIMIT_BREAKER_COOLDOWN_MS) : named;
}

/** The closeout of a worker stopped by a rate limit cools its account, reading the reset from the provider's message. */
export function coolDownIfRateLimited(store: AssignmentStore, accounts: AccountService, assignmentId: string): void {
  const closeout = store.closeout(assignmentId);
  if (!closeout?.blockers.includes(RATE_LIMITED)) return;
  const { accountRef } = store.get(assignmentId);
  const outcome = closeout.checks.find((check) => check.blocker === RATE_LIMITED);
  accounts.coolDown(accountRef, outcome?.detail ?? '');
}
