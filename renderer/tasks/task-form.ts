import type { z } from 'zod';
import { fixtureOptionsSchema, newTaskInputSchema, type NewTaskInput } from '../../shared/contract';
import { workerKinds, type WorkerKind } from '../../shared/domain';

/** What the form's inputs hold: text as typed, before the contract schema parses it. */
export interface TaskFormValues {
  title: string;
  repoPath: string;
  prompt: string;
  verifyCommand: string;
  workerKind: WorkerKind;
  durationMs: string;
  fail: boolean;
  crash: boolean;
}

export type TaskField = keyof TaskFormValues;
/** `form` holds a problem no single input owns. */
export type FieldProblems = Partial<Record<TaskField | 'form', string>>;

const defaultFixture = fixtureOptionsSchema.parse({});

export const initialTaskForm: TaskFormValues = {
  title: '',
  repoPath: '',
  prompt: '',
  verifyCommand: '',
  workerKind: workerKinds[0],
  durationMs: String(defaultFixture.durationMs),
  fail: defaultFixture.fail,
  crash: defaultFixture.crash,
};

function toInput(values: TaskFormValues): unknown {
  const durationText = values.durationMs.trim();
  return {
    title: values.title,
    repoPath: values.repoPath,
    prompt: values.prompt,
    verifyCommand: values.verifyCommand,
    workerKind: values.workerKind,
    fixture:
      values.workerKind === 'fixture'
        ? {
            durationMs: durationText === '' ? Number.NaN : Number(durationText),
            fail: values.fail,
            crash: values.crash,
          }
        : undefined,
  };
}

/** Maps a schema path (e.g. `fixture.durationMs`) to the input that shows it. */
function fieldOf(path: readonly PropertyKey[]): TaskField | null {
  const [head, nested] = path;
  if (head === 'fixture') return nested === 'durationMs' ? 'durationMs' : null;
  if (head === 'title' || head === 'repoPath' || head === 'prompt' || head === 'verifyCommand' || head === 'workerKind') {
    return head;
  }
  return null;
}

function problemText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small' && issue.origin === 'string') return 'Required';
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'Enter a whole number of milliseconds';
  return issue.message;
}

/** Parses the form with the same schema the core applies; problems come back per field. */
export function parseTaskForm(
  values: TaskFormValues,
): { ok: true; input: NewTaskInput } | { ok: false; problems: FieldProblems } {
  const parsed = newTaskInputSchema.safeParse(toInput(values));
  if (parsed.success) return { ok: true, input: parsed.data };
  const problems: FieldProblems = {};
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path) ?? 'form';
    problems[field] ??= problemText(issue);
  }
  return { ok: false, problems };
}
