import { afterEach, describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import { RUN_TARGET_MAX, type NewRunInput } from '../../../shared/runs';
import { fixtureRunInput } from '../../test-support/run-input';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { runFreeSlots } from '../accounts/capacity';

let harness: TestCore | undefined;

afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

/** The most slots one account may advertise (accounts.setSlots), and so the most a run puts on one. */
const ACCOUNT_SLOTS = 64;

function runInput(targetConcurrency: number): NewRunInput {
  return fixtureRunInput({ name: 'Wide sweep', targetConcurrency, maxPerAccount: ACCOUNT_SLOTS });
}

function account(ref: string): Account {
  return {
    ref,
    provider: 'claude',
    homeDir: `/accounts/claude/${ref}`,
    readiness: 'ready',
    readinessDetail: '',
    identity: null,
    authMethod: 'api_key',
    slots: ACCOUNT_SLOTS,
    busy: 0,
    paused: false,
    cooldownUntil: null,
    usage: { last5h: { tokens: 0, turns: 0 }, last7d: { tokens: 0, turns: 0 }, lastResetAt: null },
    lastCheckedAt: null,
    createdAt: new Date(0).toISOString(),
  };
}

describe('a run of hundreds of workers', () => {
  it('is one run: a target of 256 is recorded as asked, and one past the input bound is refused with a typed error', async () => {
    harness = startTestCore();
    const run = await harness.invoke('runs.create', runInput(256));
    expect(run).toMatchObject({ state: 'draft', targetConcurrency: 256, capacity: { total: 256 } });
    const refused = await harness.invokeRaw('runs.create', runInput(RUN_TARGET_MAX + 1));
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await harness.invoke('runs.list', {})).map((r) => r.targetConcurrency)).toEqual([256]);
  });

  it('reaches what its accounts advertise, not a constant: 256 slots on four accounts of 64, 192 on three', () => {
    const limits = { targetConcurrency: 256, maxPerAccount: ACCOUNT_SLOTS };
    const four = ['a', 'b', 'c', 'd'].map(account);
    expect(runFreeSlots(four, limits, [], 0)).toBe(256);
    expect(runFreeSlots(four.slice(0, 3), limits, [], 0)).toBe(192);
    // With 250 of its workers in flight (64, 64, 64 and 58 on the four), six more fit under the target.
    const inFlight = [...Array(64).fill('a'), ...Array(64).fill('b'), ...Array(64).fill('c'), ...Array(58).fill('d')] as string[];
    const busy = four.map((a, i) => ({ ...a, busy: [64, 64, 64, 58][i]! }));
    expect(runFreeSlots(busy, limits, inFlight, 0)).toBe(6);
  });
});
