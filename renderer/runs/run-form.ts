import type { WorkerType } from '../../shared/domain';
import {
  newRunInputSchema,
  runWorkerKindSchema,
  workSourceSchema,
  type NewRunInput,
  type RunWorkerKind,
  type WorkSourceConfig,
} from '../../shared/runs';
import { parseFormInput, type FormProblems } from '../app/form-problems';

export type SourceKind = WorkSourceConfig['kind'];
export type StopCondition = NewRunInput['stopCondition'];

/** The Source select's options, in the order it offers them. */
export const sourceKindLabels: Record<SourceKind, string> = {
  github: 'GitHub issues',
  task_list: 'Task list file',
  fixture: 'Fixture units',
};

export const stopConditionLabels: Record<StopCondition, string> = {
  backlog_empty: 'Backlog empty',
  target_count: 'Target count',
  manual: 'Manual',
};

/** A few workers at once is a calm start; the owner raises it once the run behaves. */
const DEFAULT_TARGET_CONCURRENCY = 3;
/** Enough fixture units to watch a refill happen at the default concurrency. */
const DEFAULT_FIXTURE_UNITS = 5;

/** What the form's inputs hold: text as typed, before the contract schema parses it. */
export interface RunFormValues {
  name: string;
  sourceKind: SourceKind;
  repository: string;
  apiBaseUrl: string;
  /** Comma-separated. */
  excludeLabels: string;
  taskListPath: string;
  units: string;
  repoPath: string;
  branch: string;
  verifyCommand: string;
  workerKind: RunWorkerKind;
  workerType: WorkerType;
  targetConcurrency: string;
  maxPerAccount: string;
  stopCondition: StopCondition;
  targetCount: string;
  fixtureDurationMs: string;
}

export type RunField = keyof RunFormValues;
/** `form` holds a problem no single input owns. */
export type RunFormProblems = FormProblems<RunField>;

const { shape } = newRunInputSchema;

/** The contract's own bounds, so the inputs and the core agree. */
export const TARGET_CONCURRENCY_RANGE = { min: shape.targetConcurrency.minValue, max: shape.targetConcurrency.maxValue };
export const MAX_PER_ACCOUNT_RANGE = {
  min: shape.maxPerAccount.unwrap().minValue,
  max: shape.maxPerAccount.unwrap().maxValue,
};
export const FIXTURE_DURATION_RANGE = {
  min: shape.fixtureDurationMs.unwrap().minValue,
  max: shape.fixtureDurationMs.unwrap().maxValue,
};
export const TARGET_COUNT_MIN = shape.targetCount.unwrap().minValue;
const unitsSchema = workSourceSchema.options[2].shape.units;
export const UNITS_RANGE = { min: unitsSchema.minValue, max: unitsSchema.maxValue };

export const initialRunForm: RunFormValues = {
  name: '',
  // A fixture source spends nothing, so a run made in haste is harmless.
  sourceKind: 'fixture',
  repository: '',
  apiBaseUrl: '',
  excludeLabels: '',
  taskListPath: '',
  units: String(DEFAULT_FIXTURE_UNITS),
  repoPath: '',
  branch: shape.branch.parse(undefined),
  verifyCommand: '',
  // No spend until the owner picks a provider on purpose.
  workerKind: runWorkerKindSchema.enum.fixture,
  workerType: shape.workerType.parse(undefined),
  targetConcurrency: String(DEFAULT_TARGET_CONCURRENCY),
  maxPerAccount: String(shape.maxPerAccount.parse(undefined)),
  stopCondition: shape.stopCondition.parse(undefined),
  targetCount: '',
  fixtureDurationMs: String(shape.fixtureDurationMs.parse(undefined)),
};

/** A required number: blank becomes NaN, so the schema reports it rather than taking a default. */
function requiredNumber(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** "bug, needs-owner ,," → ["bug", "needs-owner"]. */
export function parseLabels(text: string): string[] {
  return text
    .split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '');
}

function sourceInput(values: RunFormValues): unknown {
  switch (values.sourceKind) {
    case 'github':
      return {
        kind: 'github',
        repository: values.repository.trim(),
        apiBaseUrl: values.apiBaseUrl.trim(),
        excludeLabels: parseLabels(values.excludeLabels),
      };
    case 'task_list':
      return { kind: 'task_list', path: values.taskListPath.trim() };
    case 'fixture':
      return { kind: 'fixture', units: requiredNumber(values.units) };
  }
}

function toInput(values: RunFormValues): unknown {
  return {
    name: values.name,
    source: sourceInput(values),
    repoPath: values.repoPath,
    branch: values.branch,
    verifyCommand: values.verifyCommand,
    workerKind: values.workerKind,
    workerType: values.workerType,
    targetConcurrency: requiredNumber(values.targetConcurrency),
    maxPerAccount: requiredNumber(values.maxPerAccount),
    stopCondition: values.stopCondition,
    // Only the target-count condition has a count, and then it must be given.
    targetCount: values.stopCondition === 'target_count' ? requiredNumber(values.targetCount) : undefined,
    // Only fixture workers take a duration; others leave the contract's default.
    fixtureDurationMs: values.workerKind === 'fixture' ? requiredNumber(values.fixtureDurationMs) : undefined,
  };
}

/** Where a schema path's problem shows: the `source` fields have inputs of their own. */
const sourceFields: Record<string, RunField> = {
  repository: 'repository',
  apiBaseUrl: 'apiBaseUrl',
  excludeLabels: 'excludeLabels',
  path: 'taskListPath',
  units: 'units',
};

const topLevelFields: ReadonlySet<string> = new Set<RunField>([
  'name',
  'repoPath',
  'branch',
  'verifyCommand',
  'workerKind',
  'workerType',
  'targetConcurrency',
  'maxPerAccount',
  'stopCondition',
  'targetCount',
  'fixtureDurationMs',
]);

function fieldOf(path: readonly PropertyKey[]): RunField | null {
  const [head, nested] = path;
  if (head === 'source') return typeof nested === 'string' ? (sourceFields[nested] ?? null) : null;
  return typeof head === 'string' && topLevelFields.has(head) ? (head as RunField) : null;
}

/** What to type instead, for inputs whose value has a shape of its own. */
const fieldHints: Partial<Record<RunField, string>> = {
  repository: 'Use owner/name, e.g. acme/app',
  apiBaseUrl: 'Enter a URL such as https://github.example.com/api/v3, or leave it empty',
  units: 'Enter a whole number of units',
  targetConcurrency: 'Enter a whole number of workers',
  maxPerAccount: 'Enter a whole number of workers',
  targetCount: 'Enter a whole number of closeouts',
  fixtureDurationMs: 'Enter a whole number of milliseconds',
};

/** Parses the form with the same schema the core applies; problems come back per field. */
export function parseRunForm(
  values: RunFormValues,
): { ok: true; input: NewRunInput } | { ok: false; problems: RunFormProblems } {
  return parseFormInput(newRunInputSchema, toInput(values), fieldOf, fieldHints);
}
