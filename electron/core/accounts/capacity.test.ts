import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import {
  accountsAtRunMax,
  coolingDown,
  freeSlotsOf,
  offeredToRun,
  roomUnderTarget,
  runFreeSlots,
  whyNoAccount,
  whyUnavailable,
  type Clock,
  type RunLimits,
} from './capacity';

const MINUTE = 60_000;
const START = Date.parse('2026-12-02T10:00:00.000Z');

/** A clock the test moves by hand: cooldowns end without sleeping. */
function manualClock(): Clock & { advance(ms: number): void } {
  let at = START;
  return Object.assign(() => at, { advance: (ms: number) => void (at += ms) });
}

function account(ref: string, over: Partial<Account> = {}): Account {
  return {
    ref,
    provider: 'claude',
    homeDir: `/accounts/claude/${ref}`,
    readiness: 'ready',
    readinessDetail: '',
    identity: null,
    authMethod: 'api_key',
    slots: 2,
    busy: 0,
    paused: false,
    cooldownUntil: null,
    usage: { last5h: { tokens: 0, turns: 0 }, last7d: { tokens: 0, turns: 0 }, lastResetAt: null },
    lastCheckedAt: null,
    createdAt: new Date(START).toISOString(),
    ...over,
  };
}

const coolingFor = (ms: number) => new Date(START + ms).toISOString();

describe('the capacity rule', () => {
  it('an account offers nothing while cooling down, and its free slots again once the clock passes the cooldown', () => {
    const clock = manualClock();
    const cooling = account('a', { cooldownUntil: coolingFor(15 * MINUTE), busy: 1 });
    expect(coolingDown(cooling, clock())).toBe(true);
    expect(freeSlotsOf(cooling, clock())).toBe(0);
    expect(whyUnavailable(cooling, clock())).toBe(`a is cooling down until ${cooling.cooldownUntil}`);
    clock.advance(15 * MINUTE - 1);
    expect(freeSlotsOf(cooling, clock())).toBe(0);
    clock.advance(1);
    expect(coolingDown(cooling, clock())).toBe(false);
    expect(freeSlotsOf(cooling, clock())).toBe(1);
    expect(whyUnavailable(cooling, clock())).toBeNull();
  });

  it("a run has room up to its target concurrency, never below none", () => {
    const limits: RunLimits = { targetConcurrency: 3, maxPerAccount: 1 };
    expect(roomUnderTarget(limits, 0)).toBe(3);
    expect(roomUnderTarget(limits, 2)).toBe(1);
    expect(roomUnderTarget(limits, 3)).toBe(0);
    // A target lowered under the workers already in flight stops dispatch; it never goes negative.
    expect(roomUnderTarget(limits, 5)).toBe(0);
  });

  it("an account at the run's per-account maximum takes none of its units, whatever its slots", () => {
    const limits: RunLimits = { targetConcurrency: 8, maxPerAccount: 2 };
    expect(accountsAtRunMax(limits, ['a', 'b', 'a'])).toEqual(new Set(['a']));
    expect(accountsAtRunMax(limits, ['b'])).toEqual(new Set());
    const now = manualClock()();
    const roomy = account('a', { slots: 5, busy: 2 });
    expect(offeredToRun(roomy, limits, 2, now)).toBe(0);
    expect(offeredToRun(roomy, limits, 1, now)).toBe(1);
    expect(offeredToRun(roomy, limits, 0, now)).toBe(2);
    // Its own slots bound it too.
    expect(offeredToRun(account('b', { slots: 1, busy: 0 }), limits, 0, now)).toBe(1);
  });

  it("a run's free slots are min(target − in flight, the sum of what its accounts offer), on the clock", () => {
    const clock = manualClock();
    const limits: RunLimits = { targetConcurrency: 4, maxPerAccount: 2 };
    const accounts = [
      account('a', { slots: 3, busy: 1 }),
      account('b', { slots: 2, busy: 0, cooldownUntil: coolingFor(5 * MINUTE) }),
      account('c', { slots: 2, busy: 0, paused: true }),
      account('d', { slots: 2, busy: 0, readiness: 'not_logged_in' }),
    ];
    // a: 2 free slots, but the run already has one worker on it → 1; b cools; c is paused; d is not ready.
    expect(runFreeSlots(accounts, limits, ['a'], clock())).toBe(1);
    clock.advance(5 * MINUTE);
    // b is back with 2; the target leaves room for 3 more beside the one in flight.
    expect(runFreeSlots(accounts, limits, ['a'], clock())).toBe(3);
    expect(runFreeSlots(accounts, { targetConcurrency: 2, maxPerAccount: 2 }, ['a'], clock())).toBe(1);
    expect(runFreeSlots([], limits, [], clock())).toBe(0);
  });

  it('says why no account takes work: none usable, all usable ones cooling, or busy; the clock ends the cooldown', () => {
    const clock = manualClock();
    expect(whyNoAccount([], clock())).toBe('no_ready_accounts');
    expect(whyNoAccount([account('a', { paused: true }), account('b', { readiness: 'error' })], clock())).toBe('no_ready_accounts');
    const accounts = [
      account('a', { cooldownUntil: coolingFor(MINUTE) }),
      account('b', { cooldownUntil: coolingFor(2 * MINUTE) }),
      account('c', { paused: true }),
    ];
    expect(whyNoAccount(accounts, clock())).toBe('cooldown_all_accounts');
    clock.advance(MINUTE);
    expect(whyNoAccount(accounts, clock())).toBe('all_accounts_busy');
  });
});
