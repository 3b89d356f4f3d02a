import type { FleetDetail, FleetTokens, FleetWorkerState, FleetWorkerView, Spend } from '../../../shared/fleets';
import { fleetWorkerStates } from '../../../shared/fleets';
import { maskSecrets } from '../../../shared/secret-mask';

/**
 * The fleet's Markdown report, after the seed's `report.sh`: per worker its state, duration, turns,
 * tokens, cost with its truth, output files, and why it failed or is blocked; then fleet totals.
 * Pure and deterministic: the caller passes the time and the output files it found.
 */

export interface ReportExtras {
  /** Files under each worker's `output/`, by worker id, as the caller listed them. */
  outputFiles: Record<string, string[]>;
  generatedAt: string;
}

/** A last message is one line of context, not the transcript. */
const LAST_MESSAGE_CHARS = 200;
/** Below a cent, two decimals would read $0.00: show four. */
const SMALL_USD = 0.01;
const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3600;

const numbers = new Intl.NumberFormat('en-US');
const tokenKeys = ['input', 'output', 'reasoning', 'cacheRead', 'cacheWrite', 'total'] as const satisfies readonly (keyof FleetTokens)[];

/** The sums the report's totals show, exported so a caller (and a test) reads the same figures. */
export interface FleetTotals {
  tokens: FleetTokens;
  exactUsd: number;
  exactWorkers: number;
  estimatedUsd: number;
  estimatedWorkers: number;
  /** Price tables the estimates came from, sorted. */
  priceTables: string[];
  unmeasuredWorkers: number;
  turns: number;
  counts: Record<FleetWorkerState, number>;
}

export function fleetTotals(workers: readonly FleetWorkerView[]): FleetTotals {
  const tokens: FleetTokens = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0, total: 0 };
  const counts = Object.fromEntries(fleetWorkerStates.map((state) => [state, 0])) as Record<FleetWorkerState, number>;
  const totals: FleetTotals = {
    tokens,
    exactUsd: 0,
    exactWorkers: 0,
    estimatedUsd: 0,
    estimatedWorkers: 0,
    priceTables: [],
    unmeasuredWorkers: 0,
    turns: 0,
    counts,
  };
  const tables = new Set<string>();
  for (const worker of workers) {
    for (const key of tokenKeys) tokens[key] += worker.tokens[key];
    totals.turns += worker.turns;
    counts[worker.state] += 1;
    if (worker.spend.truth === 'exact') {
      totals.exactUsd += worker.spend.usd;
      totals.exactWorkers += 1;
    } else if (worker.spend.truth === 'estimate') {
      totals.estimatedUsd += worker.spend.usd;
      totals.estimatedWorkers += 1;
      if (worker.spend.priceTable !== null) tables.add(worker.spend.priceTable);
    } else {
      totals.unmeasuredWorkers += 1;
    }
  }
  totals.priceTables = [...tables].sort();
  return totals;
}

export function fleetReportMarkdown(detail: FleetDetail, extras: ReportExtras): string {
  const { summary, workers } = detail;
  const totals = fleetTotals(workers);
  const lines: string[] = [
    `# Fleet report: ${inline(summary.name)}`,
    '',
    `- Root: ${code(summary.root)}`,
    `- Fleet state: ${summary.state}`,
    `- Layers done: ${summary.layersDone} of ${summary.layerCount}`,
    `- Generated: ${inline(extras.generatedAt)}`,
    '',
    '## Workers',
    '',
    '| worker | layer | state | duration | turns | tokens in / out / reasoning / cache read / cache write | cost |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...workers.map(
      (worker) =>
        `| ${cell(worker.id)} | ${worker.layer} | ${worker.state} | ${duration(worker, extras.generatedAt)} | ${numbers.format(worker.turns)} | ${tokenCells(worker.tokens)} | ${spendWords(worker.spend)} |`,
    ),
  ];

  for (const worker of workers) {
    const files = [...(extras.outputFiles[worker.id] ?? [])].sort();
    lines.push(
      '',
      `### ${inline(worker.id)}`,
      '',
      `- State: ${worker.state}${worker.reason === null ? '' : ` (${inline(worker.reason)})`}`,
      `- Provider: ${worker.provider}${worker.model === null ? '' : `, model ${inline(worker.model)}`}; type ${worker.type}`,
      `- Depends on: ${worker.dependsOn.length === 0 ? 'nothing' : worker.dependsOn.map(inline).join(', ')}`,
      `- Duration: ${duration(worker, extras.generatedAt)}`,
      `- Turns: ${numbers.format(worker.turns)}`,
      `- Tokens: ${tokenWords(worker.tokens)}`,
      `- Cost: ${spendWords(worker.spend)}`,
      `- Relaunches: ${worker.relaunches}`,
      files.length === 0 ? '- Output files: none' : '- Output files:',
      ...files.map((file) => `  - ${code(file)}`),
    );
    if (worker.lastMessage.trim().length > 0) lines.push(`- Last message: ${clip(inline(worker.lastMessage))}`);
  }

  const troubled = workers.filter((worker) => worker.state === 'failed' || worker.state === 'killed' || worker.state === 'blocked' || worker.state === 'held');
  lines.push('', '## Failures and blockers', '');
  if (troubled.length === 0) lines.push('None.');
  for (const worker of troubled) {
    lines.push(`- ${inline(worker.id)}: ${worker.state}${worker.reason === null ? '' : ` (${inline(worker.reason)})`}`);
  }

  lines.push(
    '',
    '## Totals',
    '',
    `- Workers: ${workers.length} (${stateCounts(totals.counts)})`,
    `- Turns: ${numbers.format(totals.turns)}`,
    `- Tokens: ${tokenWords(totals.tokens)}`,
    `- Exact spend (reported by the provider): ${usd(totals.exactUsd)} over ${totals.exactWorkers} worker${plural(totals.exactWorkers)}`,
    `- Estimated spend: ${
      totals.estimatedWorkers === 0
        ? 'none'
        : `~${usd(totals.estimatedUsd)} estimate (${totals.priceTables.join(', ') || 'no price table'}) over ${totals.estimatedWorkers} worker${plural(totals.estimatedWorkers)}`
    }`,
    `- Not measured: ${totals.unmeasuredWorkers} worker${plural(totals.unmeasuredWorkers)}`,
    `- Fleet budget: ${
      summary.maxBudgetFleet === null
        ? 'none'
        : `${usd(summary.maxBudgetFleet)}, ${summary.budgetReached ? 'reached: no new workers were launched after it' : 'not reached'}`
    }`,
  );
  return `${lines.join('\n')}\n`;
}

function spendWords(spend: Spend): string {
  if (spend.truth === 'exact') return `${usd(spend.usd)} exact`;
  if (spend.truth === 'estimate') return `~${usd(spend.usd)} estimate${spend.priceTable === null ? '' : ` (${spend.priceTable})`}`;
  return 'not measured';
}

function usd(amount: number): string {
  const digits = amount > 0 && amount < SMALL_USD ? 4 : 2;
  return `$${amount.toFixed(digits)}`;
}

function tokenCells(tokens: FleetTokens): string {
  return [tokens.input, tokens.output, tokens.reasoning, tokens.cacheRead, tokens.cacheWrite].map((n) => numbers.format(n)).join(' / ');
}

function tokenWords(tokens: FleetTokens): string {
  return [
    `${numbers.format(tokens.input)} in`,
    `${numbers.format(tokens.output)} out`,
    `${numbers.format(tokens.reasoning)} reasoning`,
    `${numbers.format(tokens.cacheRead)} cache read`,
    `${numbers.format(tokens.cacheWrite)} cache write`,
    `${numbers.format(tokens.total)} total`,
  ].join(', ');
}

function stateCounts(counts: Record<FleetWorkerState, number>): string {
  const present = fleetWorkerStates.filter((state) => counts[state] > 0).map((state) => `${state} ${counts[state]}`);
  return present.length === 0 ? 'none' : present.join(', ');
}

/** From start to end; a worker still running counts to the report's time; one never started has none. */
function duration(worker: FleetWorkerView, generatedAt: string): string {
  if (worker.startedAt === null) return 'not started';
  const end = worker.endedAt ?? generatedAt;
  const ms = Date.parse(end) - Date.parse(worker.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const seconds = Math.round(ms / MS_PER_SECOND);
  const hours = Math.floor(seconds / SECONDS_PER_HOUR);
  const minutes = Math.floor((seconds % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE);
  const rest = seconds % SECONDS_PER_MINUTE;
  const text = hours > 0 ? `${hours}h ${minutes}m ${rest}s` : minutes > 0 ? `${minutes}m ${rest}s` : `${rest}s`;
  return worker.endedAt === null ? `${text} so far` : text;
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}

function clip(text: string): string {
  return text.length > LAST_MESSAGE_CHARS ? `${text.slice(0, LAST_MESSAGE_CHARS)}…` : text;
}

/** One line of text a worker or a file wrote: secrets masked, line breaks folded, no Markdown table break. */
function inline(text: string): string {
  return maskSecrets(text).replace(/\s+/g, ' ').trim();
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

function code(text: string): string {
  return `\`${inline(text).replace(/`/g, "'")}\``;
}
