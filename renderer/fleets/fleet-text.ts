import type {
  FleetProblem,
  FleetProblemCode,
  FleetState,
  FleetSummary,
  FleetTokens,
  FleetWorkerState,
  FleetWorkerView,
  Spend,
} from '../../shared/fleets';
import { formatCount, plural } from '../format';

/** The board's state palette (styles.css `.state-*`): every fleet worker state maps onto one colour. */
export type Tone = 'working' | 'waiting' | 'done' | 'failed' | 'blocked';

export const workerTones: Record<FleetWorkerState, Tone> = {
  waiting: 'waiting',
  ready: 'waiting',
  // Budget reached: it waits on the owner's money, not on a failure.
  held: 'waiting',
  running: 'working',
  succeeded: 'done',
  failed: 'failed',
  killed: 'failed',
  blocked: 'blocked',
};

export const fleetTones: Record<FleetState, Tone> = {
  running: 'working',
  finished: 'done',
  killed: 'failed',
};

/** What each state means, for the table's and the graph's descriptions. */
export const workerStateDescriptions: Record<FleetWorkerState, string> = {
  waiting: 'waits for its dependencies to finish',
  ready: 'its dependencies succeeded; it waits for a free slot',
  held: 'not launched: the fleet budget is reached',
  running: 'running',
  succeeded: 'finished successfully',
  failed: 'finished without success',
  killed: 'killed by the operator',
  blocked: 'a dependency failed or was killed; only the operator starts it',
};

/** Order of the counts in a fleet's one-line summary: what is happening first. */
const countOrder: readonly FleetWorkerState[] = ['running', 'ready', 'waiting', 'held', 'succeeded', 'failed', 'killed', 'blocked'];

/** "1 running, 1 waiting, 2 succeeded": only the states some worker is in. */
export function countsText(counts: Partial<Record<FleetWorkerState, number>>): string {
  const parts = countOrder.flatMap((state) => {
    const count = counts[state] ?? 0;
    return count > 0 ? [`${formatCount(count)} ${state}`] : [];
  });
  return parts.length > 0 ? parts.join(', ') : 'no workers';
}

/** "layer 2 of 3" while it runs (the first layer not yet ended), "3 of 3 layers done" once it ended. */
export function layerText(summary: Pick<FleetSummary, 'state' | 'layersDone' | 'layerCount'>): string {
  const { layersDone, layerCount } = summary;
  if (summary.state !== 'running' || layersDone >= layerCount) return `${layersDone} of ${layerCount} layers done`;
  return `layer ${formatCount(layersDone + 1)} of ${formatCount(layerCount)}`;
}

/** Below a cent, four decimals, so a small real cost never shows as $0.00. */
const CENT = 0.01;

export function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd > 0 && usd < CENT ? 4 : 2)}`;
}

/**
 * Money with its truth: "$0.12 exact" as the provider reported it, "~$0.40 estimate (price table)"
 * from token counts, and "not measured" when neither exists. Never a bare figure.
 */
export function spendText(spend: Spend): string {
  switch (spend.truth) {
    case 'exact':
      return `${formatUsd(spend.usd)} exact`;
    case 'estimate':
      return `~${formatUsd(spend.usd)} estimate${spend.priceTable ? ` (${spend.priceTable})` : ''}`;
    case 'none':
      return 'not measured';
  }
}

/** "$1.20 exact of $5.00 fleet budget", or "…, no fleet budget"; says when the budget stopped launches. */
export function budgetText(summary: Pick<FleetSummary, 'spend' | 'maxBudgetFleet' | 'budgetReached'>): string {
  const spend = spendText(summary.spend);
  const budget =
    summary.maxBudgetFleet === null ? `${spend}, no fleet budget` : `${spend} of ${formatUsd(summary.maxBudgetFleet)} fleet budget`;
  return summary.budgetReached ? `${budget} · budget reached: no new workers are launched` : budget;
}

/** "1,234 tokens (in 1,000, out 200, reasoning 0, cache 34)". */
export function tokensText(tokens: FleetTokens): string {
  if (tokens.total === 0) return 'no tokens yet';
  const cache = tokens.cacheRead + tokens.cacheWrite;
  return `${plural(tokens.total, 'token', 'tokens')} (in ${formatCount(tokens.input)}, out ${formatCount(tokens.output)}, reasoning ${formatCount(tokens.reasoning)}, cache ${formatCount(cache)})`;
}

/** "These workers depend on each other in a cycle: a → b → c → a". */
export function cycleText(cycle: readonly string[]): string {
  if (cycle.length === 0) return 'These workers depend on each other in a cycle.';
  return `These workers depend on each other in a cycle: ${[...cycle, cycle[0]].join(' → ')}`;
}

/** The members of a `fleet_cycle` error's message (`CYCLE:a,b,c …`); empty when it names none. */
export function cycleMembers(message: string): string[] {
  const match = /^CYCLE:(\S*)/.exec(message);
  return match?.[1] ? match[1].split(',').filter((id) => id.length > 0) : [];
}

export const problemTitles: Record<FleetProblemCode, string> = {
  invalid_fleet_file: 'fleet.json cannot be used',
  duplicate_id: 'Two workers share an id',
  unknown_dependency: 'Depends on a worker that is not in the fleet',
  missing_prompt: 'No prompt.md',
  unknown_worker_type: 'Unknown worker type',
  unknown_provider: 'Unknown provider',
  codex_budget: 'Codex has no budget cap',
  cycle: 'Dependency cycle',
};

/** One problem in words: a cycle by its members, anything else by the core's own sentence. */
export function problemText(problem: FleetProblem): string {
  if (problem.code === 'cycle') return cycleText(problem.cycle ?? []);
  return problem.message;
}

/** Problems grouped by the worker they belong to; the fleet's own (no worker) under `null`. */
export function problemsByWorker(problems: readonly FleetProblem[]): Map<string | null, FleetProblem[]> {
  const grouped = new Map<string | null, FleetProblem[]>();
  for (const problem of problems) grouped.set(problem.workerId, [...(grouped.get(problem.workerId) ?? []), problem]);
  return grouped;
}

/** How long a worker has run (or ran); null before it started. */
export function workerElapsedMs(worker: Pick<FleetWorkerView, 'startedAt' | 'endedAt'>, now: number): number | null {
  if (worker.startedAt === null) return null;
  const end = worker.endedAt === null ? now : Date.parse(worker.endedAt);
  return Math.max(0, end - Date.parse(worker.startedAt));
}

/** A running worker quiet this long is shown as silent (never acted on: long thinking looks like a hang). */
export const SILENT_AFTER_MS = 120_000;
const MINUTE_MS = 60_000;

/** "silent 4 min" for a running worker that has logged nothing for a while; null otherwise. */
export function silenceText(worker: Pick<FleetWorkerView, 'state' | 'lastActivityAt' | 'startedAt'>, now: number): string | null {
  const since = worker.lastActivityAt ?? worker.startedAt;
  if (worker.state !== 'running' || since === null) return null;
  const quiet = now - Date.parse(since);
  return quiet >= SILENT_AFTER_MS ? `silent ${Math.floor(quiet / MINUTE_MS)} min` : null;
}

/** The graph node's last message: one short line. */
const NODE_MESSAGE_CHARS = 60;

export function shortMessage(text: string, limit = NODE_MESSAGE_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** Kill is for a worker that runs; Relaunch for one that ended (or was blocked or held), one at a time. */
export function canKill(state: FleetWorkerState): boolean {
  return state === 'running';
}

export function canRelaunch(state: FleetWorkerState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'killed' || state === 'blocked' || state === 'held';
}
