import type { WorkSourceConfig } from '../../../shared/runs';

/**
 * The key a run stores a listed unit under. A GitHub issue is one thing wherever it is listed, so
 * runs share it: one run's claim or outcome is seen by the next. A task list's or a fixture's units
 * are the run's own, so a second run over the same list works them all again.
 */
export function runUnitKey(source: WorkSourceConfig, runId: string, key: string): string {
  return source.kind === 'github' ? key : `${runId}/${key}`;
}

/** One thing to do as a source lists it; the supervisor decides whether it can be claimed. */
export interface WorkUnitCandidate {
  /** Stable across listings: `github:owner/name#12`, `tasks:<file>:<slug>`, `fixture:3`. */
  key: string;
  /** The issue number where there is one: when two runs race for units, the lower number wins. */
  number: number | null;
  title: string;
  /** What the worker is asked to do (the issue body, the task line, a fixture prompt). */
  prompt: string;
  labels: string[];
  state: 'open' | 'closed';
  /** A pull request linked to or matching the unit. */
  pullRequest: { number: number; state: 'open' | 'closed' | 'merged' } | null;
  /** Keys of units that must be completed first (task lists, DAGs). */
  dependsOn: string[];
  url: string | null;
}

/** A backlog the supervisor claims from. `list` returns every unit, done or not, so skips can be typed. */
export interface WorkSource {
  readonly config: WorkSourceConfig;
  list(): Promise<WorkUnitCandidate[]>;
}
