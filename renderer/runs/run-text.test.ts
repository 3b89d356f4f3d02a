import { describe, expect, it } from 'vitest';
import { waitReasons, type FleetRun } from '../../shared/runs';
import { buildRun } from '../data/builders';
import {
  capacityText,
  freeText,
  latestLog,
  needsApproval,
  notStartedMoreText,
  progressSegments,
  runSpendText,
  runSummary,
  runTokensText,
  segmentsText,
  skippedByReason,
  sourceText,
  stopWarning,
  waitingText,
} from './run-text';

const run = buildRun('r1');

describe('progress and capacity', () => {
  it('puts the units in the bar by state: awaiting review and merge only when there are any; unstarted units are queued, or not started once the run ended', () => {
    expect(segmentsText(progressSegments(run))).toBe('done 1, running 3, queued 1, failed 0');
    const merging = { ...run, counts: { ...run.counts, awaitingReview: 5, awaitingMerge: 0 } };
    expect(segmentsText(progressSegments(merging))).toBe('done 1, awaiting review 5, running 3, queued 1, failed 0');
    expect(segmentsText(progressSegments({ ...run, state: 'stopped' }))).toBe('done 1, running 3, not started 1, failed 0');
  });

  it('says tokens from exact rows only, and spend as reported with any estimate labelled', () => {
    const { progress } = run;
    expect(runTokensText(progress)).toBe('none yet');
    expect(runTokensText({ ...progress, tokens: { exact: 1_630, rows: 1 } })).toBe('1,630 exact');
    expect(runSpendText(progress)).toBe('none reported');
    expect(runSpendText({ ...progress, spend: { reportedUsd: 0.0125, estimatedUsd: 2.5, priceTable: 'openai-list-2026-06' } })).toBe(
      '$0.0125 reported · ~$2.50 estimate (openai-list-2026-06)',
    );
    expect(notStartedMoreText(progress)).toBe('');
    expect(notStartedMoreText({ ...progress, notStarted: { ...progress.notStarted, total: 13 } })).toBe('and 12 more');
  });

  it('lists skips in the order they are checked, unknown reasons last, zeros left out', () => {
    expect(skippedByReason({ already_claimed: 2, zeta: 1, label_excluded: 3, merged: 0, alpha: 1 })).toEqual([
      ['label_excluded', 3],
      ['already_claimed', 2],
      ['alpha', 1],
      ['zeta', 1],
    ]);
  });

  it('shows active assignments out of the target, and the free slots', () => {
    expect(capacityText(run)).toBe('3/4 slots');
    expect(freeText(run)).toBe('1 free');
  });
});

describe('waitingText', () => {
  it('names the reason in words and its detail, or nothing while dispatching', () => {
    expect(waitingText(run)).toBe('');
    expect(waitingText({ ...run, waiting: 'all_accounts_busy', waitingDetail: 'codex at 1/1' })).toBe(
      'Waiting: every account is busy — codex at 1/1',
    );
    expect(waitingText({ ...run, waiting: 'source_empty' })).toBe('Waiting: nothing left to claim');
  });

  it('never shows a wait code', () => {
    for (const waiting of waitReasons) expect(waitingText({ ...run, waiting, waitingDetail: '' })).not.toMatch(/_/);
    expect(waitingText({ ...run, waiting: 'awaiting_approval' })).toBe('Waiting: awaiting your approval');
  });
});

describe('approval', () => {
  it('asks only for a draft that was never approved', () => {
    const draft: FleetRun = { ...run, state: 'draft', approvedAt: null };
    expect(needsApproval(draft)).toBe(true);
    expect(needsApproval({ ...draft, approvedAt: '2026-01-01T10:00:00.000Z' })).toBe(false);
    expect(needsApproval({ ...draft, state: 'stopped' })).toBe(false);
  });

  it('summarises what an approval lets the run do', () => {
    expect(runSummary(run)).toBe('5 fixture units · fixture workers · 4 at a time, 1 per account · stops when the backlog is empty');
    expect(
      runSummary({
        ...run,
        source: { kind: 'github', repository: 'acme/app', apiBaseUrl: '', excludeLabels: [] },
        workerKind: 'auto',
        stopCondition: 'target_count',
        targetCount: 1,
      }),
    ).toBe('GitHub issues of acme/app · auto workers · 4 at a time, 1 per account · stops after 1 closeout');
  });

  it('names each kind of source', () => {
    expect(sourceText({ kind: 'task_list', path: '/tasks.md' })).toBe('task list /tasks.md');
    expect(sourceText({ kind: 'fixture', units: 1 })).toBe('1 fixture unit');
  });
});

describe('stopWarning', () => {
  it('says how many workers a stop interrupts', () => {
    expect(stopWarning(run)).toBe(
      'Stopping run r1 interrupts its 3 active workers and releases their claims. A stopped run is not reopened.',
    );
  });
});

describe('latestLog', () => {
  it('keeps the newest entries, newest first', () => {
    const entry = (unitKey: string, at: string) => ({ at, unitKey, title: unitKey, kind: 'claimed' as const, reason: '', assignmentId: null });
    const log = [entry('a', '2026-01-01T10:00:00.000Z'), entry('c', '2026-01-01T12:00:00.000Z'), entry('b', '2026-01-01T11:00:00.000Z')];
    expect(latestLog(log, 2).map((e) => e.unitKey)).toEqual(['c', 'b']);
  });
});
