import path from 'node:path';
import type { z } from 'zod';
import { CliFailure } from './failure';

/**
 * Checks a verb's input with the contract's own schema before anything is sent, so bad input exits 2
 * with the schema's words, naming the flag (`flags` maps a field to the flag the owner typed).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, flags: Record<string, string> = {}): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    const name = flags[field] ?? (field ? `--${field}` : 'input');
    return `${name}: ${issue.message}`;
  });
  throw CliFailure.invalidInput(problems.join('\n'));
}

/** A whole number from a flag, or an invalid-input failure naming it. */
export function intFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) throw CliFailure.invalidInput(`${flag}: expected a whole number, got "${String(value)}"`);
  return number;
}

/** The host needs absolute paths (it may run elsewhere than this shell's cwd): a relative one is taken from here. */
export function absolutePath(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? path.resolve(value) : undefined;
}

/** A card's title when none is given: the prompt's first line, cut to what a card shows. */
const TITLE_MAX_CHARS = 80;
export function titleFromPrompt(prompt: string): string {
  return (prompt.trim().split('\n')[0] ?? '').slice(0, TITLE_MAX_CHARS);
}
