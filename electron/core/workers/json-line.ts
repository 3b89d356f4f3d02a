import type { WorkerEvent } from './worker-events';

/** Shared by the stream parsers: lenient reads of untyped JSON from a CLI's output. */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

/** A token count: a finite, non-negative whole number, or 0. */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.trunc(value) : 0;
}

/**
 * One output line as a JSON object with a `type`, or the events it is instead: nothing for a blank
 * line, `unparsed` for a line that is not a JSON object (reported, never thrown).
 */
export function readJsonLine(line: string): { value: Json; type: string } | WorkerEvent[] {
  const trimmed = line.trim();
  if (!trimmed) return [];
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return [{ type: 'unparsed', line: trimmed }];
  }
  if (!isObject(value)) return [{ type: 'unparsed', line: trimmed }];
  return { value, type: str(value.type) };
}
