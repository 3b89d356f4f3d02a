import type { z } from 'zod';
import { formatCount } from '../format';

/** One problem per field (the first), or under `form` when the schema path names no input. */
export type FormProblems<F extends string> = Partial<Record<F | 'form', string>>;

/** A zod issue in the owner's words; `hint` says what to type where a value has the wrong form. */
function issueText(issue: z.core.$ZodIssue, hint: string | undefined): string {
  if (issue.code === 'too_small' && issue.origin === 'string') return 'Required';
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_format') && hint) return hint;
  if (issue.code === 'too_small' && issue.origin === 'number') {
    const minimum = formatCount(Number(issue.minimum));
    return issue.inclusive === false ? `More than ${minimum}` : `At least ${minimum}`;
  }
  if (issue.code === 'too_big' && issue.origin === 'number') return `At most ${formatCount(Number(issue.maximum))}`;
  if (issue.code === 'too_big' && issue.origin === 'string') return `At most ${formatCount(Number(issue.maximum))} characters`;
  return issue.message;
}

/** Parses a form's input with the same schema the core applies; problems come back per field. */
export function parseFormInput<S extends z.ZodType, F extends string>(
  schema: S,
  input: unknown,
  fieldOf: (path: readonly PropertyKey[]) => F | null,
  hints: Partial<Record<F, string>>,
): { ok: true; input: z.output<S> } | { ok: false; problems: FormProblems<F> } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, input: parsed.data };
  const problems: FormProblems<F> = {};
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path);
    problems[field ?? 'form'] ??= issueText(issue, field === null ? undefined : hints[field]);
  }
  return { ok: false, problems };
}
