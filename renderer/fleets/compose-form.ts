import { reasoningEfforts, workerTypes } from '../../shared/domain';
import {
  fleetNameSchema,
  fleetProviders,
  fleetWorkerIdSchema,
  outputLine,
  type ComposeFleetInput,
  type FleetConfig,
  type FleetWorkerSpec,
} from '../../shared/fleets';

/** A worker row as typed: every field text, so a half-typed number stays as typed. */
export interface WorkerRow {
  /** Stable while the id is edited, so React keeps the row's inputs. */
  key: number;
  id: string;
  type: string;
  /** Empty: the fleet's default. */
  provider: string;
  model: string;
  maxTurns: string;
  maxBudgetUsd: string;
  task: string;
  dependsOn: string[];
  prompt: string;
}

export interface ComposeValues {
  root: string;
  fleetName: string;
  provider: string;
  model: string;
  /** Empty: none. */
  reasoningEffort: string;
  maxConcurrent: string;
  maxBudgetFleet: string;
  overwrite: boolean;
  workers: WorkerRow[];
}

export type FleetFieldProblems = Partial<Record<'root' | 'fleetName' | 'model' | 'maxConcurrent' | 'maxBudgetFleet' | 'workers', string>>;

export interface ComposeProblems {
  fleet: FleetFieldProblems;
  /** By row key. */
  workers: Record<number, string[]>;
}

export const providerOptions = fleetProviders;
export const workerTypeOptions = workerTypes;
export const reasoningEffortOptions = reasoningEfforts;

/** A new row: the writer type (it can save output files), and the next free `worker-<n>` id. */
export function newWorkerRow(key: number, existing: readonly WorkerRow[]): WorkerRow {
  let n = existing.length + 1;
  while (existing.some((row) => row.id === `worker-${n}`)) n += 1;
  return { key, id: `worker-${n}`, type: 'write', provider: '', model: '', maxTurns: '', maxBudgetUsd: '', task: '', dependsOn: [], prompt: '' };
}

export function initialComposeValues(): ComposeValues {
  return {
    root: '',
    fleetName: '',
    provider: 'fixture',
    model: '',
    reasoningEffort: '',
    maxConcurrent: '2',
    maxBudgetFleet: '',
    overwrite: false,
    workers: [newWorkerRow(0, [])],
  };
}

/** A renamed worker keeps its dependents: their `depends_on` follows the new id. */
export function renameWorker(workers: readonly WorkerRow[], key: number, id: string): WorkerRow[] {
  const old = workers.find((row) => row.key === key)?.id;
  return workers.map((row) => {
    if (row.key === key) return { ...row, id };
    return old === undefined ? row : { ...row, dependsOn: row.dependsOn.map((dependency) => (dependency === old ? id : dependency)) };
  });
}

/** A removed worker leaves no dependency on itself behind. */
export function removeWorker(workers: readonly WorkerRow[], key: number): WorkerRow[] {
  const gone = workers.find((row) => row.key === key)?.id;
  return workers.filter((row) => row.key !== key).map((row) => ({ ...row, dependsOn: row.dependsOn.filter((id) => id !== gone) }));
}

type NumberParse = { ok: true; value: number | undefined } | { ok: false };

function parseNumber(text: string, whole: boolean): NumberParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) return { ok: false };
  return { ok: true, value };
}

/** The prompt as written, with the seed's output line added when it is not already in it. */
export function promptWithOutputLine(prompt: string, root: string, id: string): string {
  const line = outputLine(root, id);
  if (prompt.includes(line)) return prompt;
  const body = prompt.trimEnd();
  return body === '' ? `${line}\n` : `${body}\n\n${line}\n`;
}

function parseWorker(row: WorkerRow, ids: readonly string[]): { spec?: FleetWorkerSpec; problems: string[] } {
  const problems: string[] = [];
  if (!fleetWorkerIdSchema.safeParse(row.id).success) problems.push('The id is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit.');
  if (ids.filter((id) => id === row.id).length > 1) problems.push(`Another worker is also called ${row.id}.`);
  const maxTurns = parseNumber(row.maxTurns, true);
  if (!maxTurns.ok) problems.push('Max turns is a whole number above 0, or empty.');
  const budget = parseNumber(row.maxBudgetUsd, false);
  if (!budget.ok) problems.push('The budget is an amount in dollars above 0, or empty.');
  if (problems.length > 0 || !maxTurns.ok || !budget.ok) return { problems };
  const spec: FleetWorkerSpec = { id: row.id, type: row.type, task: row.task.trim(), depends_on: row.dependsOn.filter((id) => ids.includes(id)) };
  if (row.provider) spec.provider = row.provider;
  if (row.model.trim()) spec.model = row.model.trim();
  if (maxTurns.value !== undefined) spec.max_turns = maxTurns.value;
  if (budget.value !== undefined) spec.max_budget_usd = budget.value;
  return { spec, problems };
}

/**
 * The dialog's values as `fleets.compose` input. Only what the form itself can know is checked here
 * (an absolute root, names, numbers, repeated ids); the core checks the rest and names it in the preview.
 */
export function parseComposeForm(values: ComposeValues): { ok: true; input: ComposeFleetInput } | { ok: false; problems: ComposeProblems } {
  const fleet: FleetFieldProblems = {};
  const root = values.root.trim().replace(/(.)\/+$/, '$1');
  if (!root.startsWith('/')) fleet.root = 'The fleet folder is an absolute path, e.g. /home/me/fleets/research.';
  if (!fleetNameSchema.safeParse(values.fleetName.trim()).success) fleet.fleetName = 'The fleet name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit.';
  const maxConcurrent = parseNumber(values.maxConcurrent, true);
  if (!maxConcurrent.ok) fleet.maxConcurrent = 'Max concurrent is a whole number above 0, or empty.';
  const maxBudgetFleet = parseNumber(values.maxBudgetFleet, false);
  if (!maxBudgetFleet.ok) fleet.maxBudgetFleet = 'The fleet budget is an amount in dollars above 0, or empty.';
  if (values.workers.length === 0) fleet.workers = 'A fleet needs at least one worker.';

  const ids = values.workers.map((row) => row.id);
  const workers: Record<number, string[]> = {};
  const specs: FleetWorkerSpec[] = [];
  for (const row of values.workers) {
    const parsed = parseWorker(row, ids);
    if (parsed.problems.length > 0) workers[row.key] = parsed.problems;
    if (parsed.spec) specs.push(parsed.spec);
  }
  if (Object.keys(fleet).length > 0 || Object.keys(workers).length > 0 || !maxConcurrent.ok || !maxBudgetFleet.ok) {
    return { ok: false, problems: { fleet, workers } };
  }

  const config: FleetConfig = {};
  if (values.provider) config.provider = values.provider as FleetConfig['provider'];
  if (values.model.trim()) config.model = values.model.trim();
  if (values.reasoningEffort) config.reasoning_effort = values.reasoningEffort as FleetConfig['reasoning_effort'];
  if (maxConcurrent.value !== undefined) config.max_concurrent = maxConcurrent.value;
  if (maxBudgetFleet.value !== undefined) config.max_budget_fleet = maxBudgetFleet.value;
  const prompts = Object.fromEntries(values.workers.map((row) => [row.id, promptWithOutputLine(row.prompt, root, row.id)]));
  return {
    ok: true,
    input: { root, file: { fleet_name: values.fleetName.trim(), config, workers: specs }, prompts, overwrite: values.overwrite },
  };
}
