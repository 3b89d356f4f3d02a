import { describe, expect, it } from 'vitest';
import { fleetWorkerStates, type FleetProblem } from '../../shared/fleets';
import { buildFleetSummary, buildFleetWorker } from '../data/builders';
import {
  budgetText,
  canKill,
  canRelaunch,
  countsText,
  cycleMembers,
  cycleText,
  layerText,
  problemsByWorker,
  problemText,
  shortMessage,
  SILENT_AFTER_MS,
  silenceText,
  spendText,
  tokensText,
  workerElapsedMs,
  workerTones,
} from './fleet-text';

const START = Date.parse('2026-01-01T10:00:00.000Z');
const MINUTE_MS = 60_000;

describe('state words and colours', () => {
  it('maps every worker state onto the board palette', () => {
    for (const state of fleetWorkerStates) expect(['working', 'waiting', 'done', 'failed', 'blocked']).toContain(workerTones[state]);
    expect(workerTones.running).toBe('working');
    expect(workerTones.succeeded).toBe('done');
    expect(workerTones.killed).toBe('failed');
    expect(workerTones.blocked).toBe('blocked');
  });

  it('counts only the states some worker is in, running first', () => {
    expect(countsText(buildFleetSummary('f').counts)).toBe('1 running, 1 waiting, 2 succeeded');
    expect(countsText({})).toBe('no workers');
  });

  it('says the layer in progress while running and the layers done once ended', () => {
    expect(layerText({ state: 'running', layersDone: 1, layerCount: 3 })).toBe('layer 2 of 3');
    expect(layerText({ state: 'finished', layersDone: 3, layerCount: 3 })).toBe('3 of 3 layers done');
    expect(layerText({ state: 'killed', layersDone: 1, layerCount: 3 })).toBe('1 of 3 layers done');
  });

  it('offers Kill only while running and Relaunch only once ended', () => {
    expect(fleetWorkerStates.filter(canKill)).toEqual(['running']);
    expect(fleetWorkerStates.filter(canRelaunch)).toEqual(['succeeded', 'failed', 'killed', 'blocked', 'held']);
  });
});

describe('spend', () => {
  it('labels every figure with its truth and never shows a bare number', () => {
    expect(spendText({ usd: 0.1234, truth: 'exact', priceTable: null })).toBe('$0.12 exact');
    expect(spendText({ usd: 0.4, truth: 'estimate', priceTable: 'openai-list-2026-06' })).toBe('~$0.40 estimate (openai-list-2026-06)');
    expect(spendText({ usd: 0.0042, truth: 'exact', priceTable: null })).toBe('$0.0042 exact');
    expect(spendText({ usd: 0, truth: 'none', priceTable: null })).toBe('not measured');
  });

  it('puts spend against the fleet budget and says when the budget stopped launches', () => {
    const summary = buildFleetSummary('f');
    expect(budgetText(summary)).toBe('not measured, no fleet budget');
    expect(budgetText({ spend: { usd: 5.5, truth: 'estimate', priceTable: 't' }, maxBudgetFleet: 5, budgetReached: true })).toBe(
      '~$5.50 estimate (t) of $5.00 fleet budget · budget reached: no new workers are launched',
    );
  });

  it('gives the token rows by column', () => {
    expect(tokensText({ input: 1_000, output: 200, reasoning: 0, cacheRead: 30, cacheWrite: 4, total: 1_234 })).toBe(
      '1,234 tokens (in 1,000, out 200, reasoning 0, cache 34)',
    );
    expect(tokensText(buildFleetWorker('a').tokens)).toBe('no tokens yet');
  });
});

describe('validation problems', () => {
  const cycle: FleetProblem = { code: 'cycle', message: 'CYCLE:a,b,c', workerId: null, cycle: ['a', 'b', 'c'] };
  const missing: FleetProblem = { code: 'missing_prompt', message: 'Worker b has no prompt.md.', workerId: 'b', cycle: null };

  it('shows a cycle as words, back to where it started', () => {
    expect(problemText(cycle)).toBe('These workers depend on each other in a cycle: a → b → c → a');
    expect(cycleText([])).toBe('These workers depend on each other in a cycle.');
    expect(problemText(missing)).toBe('Worker b has no prompt.md.');
  });

  it('reads the members from a fleet_cycle message', () => {
    expect(cycleMembers('CYCLE:a,b,c')).toEqual(['a', 'b', 'c']);
    expect(cycleMembers('CYCLE:x,y (a cycle)')).toEqual(['x', 'y']);
    expect(cycleMembers('not a cycle')).toEqual([]);
  });

  it('groups problems by worker, the fleet-wide ones under null', () => {
    const grouped = problemsByWorker([cycle, missing]);
    expect(grouped.get('b')).toEqual([missing]);
    expect(grouped.get(null)).toEqual([cycle]);
  });
});

describe('time and silence', () => {
  it('measures elapsed from start to end, or to now while running', () => {
    const worker = buildFleetWorker('a');
    expect(workerElapsedMs(worker, START + 5 * MINUTE_MS)).toBe(5 * MINUTE_MS);
    expect(workerElapsedMs({ ...worker, endedAt: '2026-01-01T10:01:00.000Z' }, START + 5 * MINUTE_MS)).toBe(MINUTE_MS);
    expect(workerElapsedMs(buildFleetWorker('b', 'waiting'), START)).toBeNull();
  });

  it('shows a long silence of a running worker and nothing for a short one or an ended one', () => {
    const worker = { ...buildFleetWorker('a'), lastActivityAt: '2026-01-01T10:00:00.000Z' };
    expect(silenceText(worker, START + 4 * MINUTE_MS)).toBe('silent 4 min');
    expect(silenceText(worker, START + SILENT_AFTER_MS - 1)).toBeNull();
    expect(silenceText({ ...worker, state: 'succeeded' }, START + 4 * MINUTE_MS)).toBeNull();
  });

  it('cuts a last message to one short line', () => {
    expect(shortMessage('two\nlines')).toBe('two lines');
    expect(shortMessage('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
