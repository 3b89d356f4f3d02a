import type { SkipReason } from '../../../shared/runs';
import type { WorkUnitCandidate } from '../sources/work-source';

/** The label a unit carries when only the owner can decide it. */
export const NEEDS_OWNER_LABEL = 'needs-owner';

/**
 * The typed skips that can be read off the unit itself, in fleet-model.md's order. Outcomes of
 * earlier work, dependencies and the claim itself are checked after these, against the store.
 */
export function intrinsicSkip(unit: WorkUnitCandidate, excludeLabels: readonly string[]): SkipReason | null {
  if (unit.labels.some((label) => excludeLabels.includes(label))) return 'label_excluded';
  if (unit.labels.includes(NEEDS_OWNER_LABEL)) return 'needs_owner';
  if (unit.pullRequest?.state === 'merged') return 'merged';
  if (unit.state === 'closed') return 'closed';
  if (unit.pullRequest?.state === 'open') return 'pr_exists';
  return null;
}

/** Earlier closeouts of the unit: a unit done (or failed) once is not picked again by a run. */
export function outcomeSkip(outcomes: readonly string[]): SkipReason | null {
  if (outcomes.includes('ok')) return 'completed';
  if (outcomes.includes('failed')) return 'failed';
  return null;
}

/** A unit waits for the units it depends on: all completed, none failed. */
export function dependencySkip(dependencyOutcomes: readonly (readonly string[] | 'closed')[]): SkipReason | null {
  if (dependencyOutcomes.some((o) => o !== 'closed' && !o.includes('ok') && o.includes('failed'))) return 'dependency_failed';
  if (dependencyOutcomes.some((o) => o !== 'closed' && !o.includes('ok'))) return 'dependency_pending';
  return null;
}
