import { fixtureOptionsSchema, newTaskInputSchema, type NewTaskInput } from '../../shared/contract';
import { workerKinds, type WorkerKind, type WorkerType } from '../../shared/domain';
import { parseFormInput, type FormProblems } from '../app/form-problems';

/** What the form's inputs hold: text as typed, before the contract schema parses it. */
export interface TaskFormValues {
  title: string;
  repoPath: string;
  prompt: string;
  verifyCommand: string;
  workerKind: WorkerKind;
  /** Empty: any ready account of the provider. */
  accountRef: string;
  workerType: WorkerType;
  model: string;
  maxTurns: string;
  maxBudgetUsd: string;
  /** Empty: the CLI's own default. */
  reasoningEffort: string;
  durationMs: string;
  fail: boolean;
  crash: boolean;
}

export type TaskField = keyof TaskFormValues;
/** `form` holds a problem no single input owns. */
export type FieldProblems = FormProblems<TaskField>;

const defaultFixture = fixtureOptionsSchema.parse({});
const { shape } = newTaskInputSchema;

/** The contract's own bounds, so the inputs and the core agree. */
export const MAX_TURNS_RANGE = { min: shape.maxTurns.unwrap().minValue, max: shape.maxTurns.unwrap().maxValue };
export const MAX_BUDGET_USD = shape.maxBudgetUsd.unwrap().maxValue;

export const initialTaskForm: TaskFormValues = {
  title: '',
  repoPath: '',
  prompt: '',
  verifyCommand: '',
  workerKind: workerKinds[0],
  accountRef: '',
  workerType: shape.workerType.parse(undefined),
  model: '',
  maxTurns: '',
  maxBudgetUsd: '',
  reasoningEffort: '',
  durationMs: String(defaultFixture.durationMs),
  fail: defaultFixture.fail,
  crash: defaultFixture.crash,
};

/** Blank means "not given"; anything else is parsed, so the schema can name what is wrong with it. */
function optionalNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

function optionalText(text: string): string | undefined {
  return text.trim() === '' ? undefined : text;
}

function toInput(values: TaskFormValues): unknown {
  const common = {
    title: values.title,
    repoPath: values.repoPath,
    prompt: values.prompt,
    verifyCommand: values.verifyCommand,
    workerKind: values.workerKind,
  };
  if (values.workerKind === 'fixture') {
    const durationText = values.durationMs.trim();
    return {
      ...common,
      fixture: {
        durationMs: durationText === '' ? Number.NaN : Number(durationText),
        fail: values.fail,
        crash: values.crash,
      },
    };
  }
  return {
    ...common,
    accountRef: optionalText(values.accountRef),
    workerType: values.workerType,
    model: optionalText(values.model),
    maxTurns: optionalNumber(values.maxTurns),
    maxBudgetUsd: values.workerKind === 'claude' ? optionalNumber(values.maxBudgetUsd) : undefined,
    reasoningEffort: values.workerKind === 'codex' ? optionalText(values.reasoningEffort) : undefined,
  };
}

/** Fields whose schema path is their own name. */
const topLevelFields: ReadonlySet<string> = new Set<TaskField>([
  'title',
  'repoPath',
  'prompt',
  'verifyCommand',
  'workerKind',
  'accountRef',
  'workerType',
  'model',
  'maxTurns',
  'maxBudgetUsd',
  'reasoningEffort',
]);

/** Maps a schema path (e.g. `fixture.durationMs`) to the input that shows it. */
function fieldOf(path: readonly PropertyKey[]): TaskField | null {
  const [head, nested] = path;
  if (head === 'fixture') return nested === 'durationMs' ? 'durationMs' : null;
  return typeof head === 'string' && topLevelFields.has(head) ? (head as TaskField) : null;
}

/** What to type instead, for inputs that take a number. */
const numberHints: Partial<Record<TaskField, string>> = {
  durationMs: 'Enter a whole number of milliseconds',
  maxTurns: 'Enter a whole number of turns',
  maxBudgetUsd: 'Enter an amount in US dollars',
};

/** Parses the form with the same schema the core applies; problems come back per field. */
export function parseTaskForm(
  values: TaskFormValues,
): { ok: true; input: NewTaskInput } | { ok: false; problems: FieldProblems } {
  return parseFormInput(newTaskInputSchema, toInput(values), fieldOf, numberHints);
}
