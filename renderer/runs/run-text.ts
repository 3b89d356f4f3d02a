import {
  skipReasons,
  waitReasonLabels,
  type FleetRun,
  type RunControl,
  type RunLogEntry,
  type RunProgress,
  type WorkSourceConfig,
} from '../../shared/runs';
import { formatCount, plural } from '../format';

export const controlLabels: Record<RunControl, string> = {
  pause: 'Pause',
  resume: 'Resume',
  drain: 'Drain',
  stop: 'Stop',
};

type Counts = FleetRun['counts'];

export function skippedTotal(skipped: Counts['skipped']): number {
  return Object.values(skipped).reduce((sum, count) => sum + count, 0);
}

const knownReasons: readonly string[] = skipReasons;

function reasonRank(reason: string): number {
  const rank = knownReasons.indexOf(reason);
  return rank === -1 ? knownReasons.length : rank;
}

/** Reasons with a count, in the order the skips are checked; any reason the contract does not list comes last. */
export function skippedByReason(skipped: Counts['skipped']): [string, number][] {
  return Object.entries(skipped)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => reasonRank(a) - reasonRank(b) || a.localeCompare(b));
}

/** "3/4 slots": active assignments out of the run's target concurrency. */
export function capacityText(run: FleetRun): string {
  return `${formatCount(run.counts.active)}/${formatCount(run.targetConcurrency)} slots`;
}

export function freeText(run: FleetRun): string {
  return `${formatCount(run.capacity.free)} free`;
}

/** "Waiting: every account is busy — 2 accounts, both at their limit", or empty while the run is not waiting. */
export function waitingText(run: FleetRun): string {
  if (run.waiting === null) return '';
  const reason = waitReasonLabels[run.waiting];
  return run.waitingDetail ? `Waiting: ${reason} — ${run.waitingDetail}` : `Waiting: ${reason}`;
}

/** A stopped or completed run: nothing can be steered any more. */
export function isFinished(run: FleetRun): boolean {
  return run.state === 'stopped' || run.state === 'completed';
}

/** A draft that has never been approved: nothing is claimed or spent before the owner approves it. */
export function needsApproval(run: FleetRun): boolean {
  return run.state === 'draft' && run.approvedAt === null;
}

export function sourceText(source: WorkSourceConfig): string {
  switch (source.kind) {
    case 'github':
      return `GitHub issues of ${source.repository}`;
    case 'task_list':
      return `task list ${source.path}`;
    case 'fixture':
      return plural(source.units, 'fixture unit', 'fixture units');
  }
}

function stopConditionText(run: FleetRun): string {
  switch (run.stopCondition) {
    case 'backlog_empty':
      return 'stops when the backlog is empty';
    case 'target_count':
      return run.targetCount === null
        ? 'stops at its target count'
        : `stops after ${plural(run.targetCount, 'closeout', 'closeouts')}`;
    case 'manual':
      return 'runs until you stop it';
  }
}

/** What the run will do once approved: "5 fixture units · fixture workers · 3 at a time, 1 per account · stops when ...". */
export function runSummary(run: FleetRun): string {
  return [
    sourceText(run.source),
    `${run.workerKind} workers`,
    `${formatCount(run.targetConcurrency)} at a time, ${formatCount(run.maxPerAccount)} per account`,
    stopConditionText(run),
  ].join(' · ');
}

/** The Stop confirmation's warning: stopping interrupts the workers that are running now. */
export function stopWarning(run: FleetRun): string {
  const workers = plural(run.counts.active, 'active worker', 'active workers');
  return `Stopping ${run.name} interrupts its ${workers} and releases their claims. A stopped run is not reopened.`;
}

/** The newest `limit` entries of a run's claims-and-skips log, newest first. */
export function latestLog(log: readonly RunLogEntry[], limit: number): RunLogEntry[] {
  return [...log].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, limit);
}

/** One part of a run's progress bar: a unit state, its count, and the class that colours it. */
export interface ProgressSegment {
  state: 'done' | 'awaiting-review' | 'awaiting-merge' | 'running' | 'queued' | 'failed';
  label: string;
  count: number;
}

/**
 * The run's units by state, in the bar's order. Units it has not started are "queued" while it can
 * go on and "not started" once it has stopped; awaiting review and merge show only when the run has them.
 */
export function progressSegments(run: FleetRun): ProgressSegment[] {
  const { counts, progress } = run;
  const segments: ProgressSegment[] = [
    { state: 'done', label: 'done', count: counts.done },
    { state: 'awaiting-review', label: 'awaiting review', count: counts.awaitingReview ?? 0 },
    { state: 'awaiting-merge', label: 'awaiting merge', count: counts.awaitingMerge ?? 0 },
    { state: 'running', label: 'running', count: counts.active },
    { state: 'queued', label: isFinished(run) ? 'not started' : 'queued', count: progress.notStarted.total },
    { state: 'failed', label: 'failed', count: counts.failed },
  ];
  return segments.filter((segment) => segment.count > 0 || !segment.state.startsWith('awaiting'));
}

/** "done 2, running 1, queued 3, failed 0": the bar in words, for its label. */
export function segmentsText(segments: readonly ProgressSegment[]): string {
  return segments.map((segment) => `${segment.label} ${formatCount(segment.count)}`).join(', ');
}

/** "1,630 exact" from the run's exact token rows, or "none yet" before its first row. */
export function runTokensText(progress: RunProgress): string {
  return progress.tokens.rows === 0 ? 'none yet' : `${formatCount(progress.tokens.exact)} exact`;
}

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });

/** "$0.0125 reported · ~$2.50 estimate (openai-list-2026-06)": what providers reported, and any estimate, labelled. */
export function runSpendText(progress: RunProgress): string {
  const { reportedUsd, estimatedUsd, priceTable } = progress.spend;
  const parts: string[] = [];
  if (reportedUsd !== null) parts.push(`${usdFormat.format(reportedUsd)} reported`);
  if (estimatedUsd !== null) parts.push(`~${usdFormat.format(estimatedUsd)} estimate${priceTable === null ? '' : ` (${priceTable})`}`);
  return parts.length === 0 ? 'none reported' : parts.join(' · ');
}

/** "and 12 more" when the run has more unstarted units than travel with it, else empty. */
export function notStartedMoreText(progress: RunProgress): string {
  const more = progress.notStarted.total - progress.notStarted.units.length;
  return more > 0 ? `and ${formatCount(more)} more` : '';
}
