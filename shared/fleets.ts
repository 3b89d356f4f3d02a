import { z } from 'zod';
import { reasoningEffortSchema, workerTypeSchema } from './domain';

/**
 * DAG fleets, after the dag-fleet seed: a fleet root holds `fleet.json` and `workers/<id>/prompt.md`;
 * each worker writes to `workers/<id>/output/`. Field names are the seed's (snake_case), so a fleet
 * folder made for the seed's scripts opens here unchanged. Unknown keys are kept (looseObject), so
 * saving a fleet never drops what another tool wrote.
 */

/** `fixture` is ours: a no-spend worker for trying a fleet out; the seed knows `claude` and `codex`. */
export const fleetProviders = ['claude', 'codex', 'fixture'] as const;
export const fleetProviderSchema = z.enum(fleetProviders);
export type FleetProvider = z.infer<typeof fleetProviderSchema>;

/** A worker id names a folder under `workers/`: no separators, no dot-dot. */
export const fleetWorkerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a worker id is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const fleetNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a fleet name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

/** Defaults for every worker; a worker's own field wins. */
export const fleetConfigSchema = z.looseObject({
  /** Checked per worker, so an unknown one is the named problem `unknown_provider`. */
  provider: z.string().optional(),
  model: z.string().min(1).optional(),
  reasoning_effort: reasoningEffortSchema.optional(),
  /** Workers running at once, across layers. */
  max_concurrent: z.number().int().min(1).max(64).optional(),
  /** Total spend at which no new worker is launched (running ones are not killed). */
  max_budget_fleet: z.number().positive().optional(),
  /** Checked per worker, so an unknown one is the named problem `unknown_worker_type`. */
  type: z.string().optional(),
  max_turns: z.number().int().min(1).optional(),
  max_budget_usd: z.number().positive().optional(),
});
export type FleetConfig = z.infer<typeof fleetConfigSchema>;

/**
 * A worker as written. `type` and `provider` are plain strings here so that an unknown one is a
 * named validation problem (`unknown_worker_type`, `unknown_provider`) rather than a parse failure.
 */
export const fleetWorkerSpecSchema = z.looseObject({
  id: fleetWorkerIdSchema,
  type: z.string().optional(),
  task: z.string().default(''),
  provider: z.string().optional(),
  model: z.string().min(1).optional(),
  reasoning_effort: reasoningEffortSchema.optional(),
  max_turns: z.number().int().min(1).optional(),
  max_budget_usd: z.number().positive().optional(),
  depends_on: z.array(z.string()).default([]),
});
export type FleetWorkerSpec = z.infer<typeof fleetWorkerSpecSchema>;

export const fleetFileSchema = z.looseObject({
  fleet_name: fleetNameSchema,
  config: fleetConfigSchema.default({}),
  workers: z.array(fleetWorkerSpecSchema).min(1, 'a fleet needs at least one worker'),
});
export type FleetFile = z.infer<typeof fleetFileSchema>;

/** Named problems found before anything starts; any of them means nothing is created. */
export const fleetProblemCodes = [
  'invalid_fleet_file',
  'duplicate_id',
  'unknown_dependency',
  'missing_prompt',
  'unknown_worker_type',
  'unknown_provider',
  'codex_budget',
  'cycle',
] as const;
export const fleetProblemCodeSchema = z.enum(fleetProblemCodes);
export type FleetProblemCode = z.infer<typeof fleetProblemCodeSchema>;

export const fleetProblemSchema = z.object({
  code: fleetProblemCodeSchema,
  /** Plain words, e.g. "Worker synth depends on writer-9, which is not in the fleet." */
  message: z.string(),
  workerId: z.string().nullable(),
  /** For `cycle`: its members in order, e.g. ["a", "b", "c"] (reported as `CYCLE:a,b,c`). */
  cycle: z.array(z.string()).nullable(),
});
export type FleetProblem = z.infer<typeof fleetProblemSchema>;

/** What a fleet worker resolves to once config defaults are applied. */
export const resolvedFleetWorkerSchema = z.object({
  id: z.string(),
  type: workerTypeSchema,
  task: z.string(),
  provider: fleetProviderSchema,
  model: z.string().nullable(),
  reasoningEffort: reasoningEffortSchema.nullable(),
  maxTurns: z.number().int().nullable(),
  maxBudgetUsd: z.number().nullable(),
  dependsOn: z.array(z.string()),
  /** Kahn's BFS layer, from 0. */
  layer: z.number().int().nonnegative(),
});
export type ResolvedFleetWorker = z.infer<typeof resolvedFleetWorkerSchema>;

/** A fleet folder as read and checked, before (or without) launching it. */
export const fleetPreviewSchema = z.object({
  root: z.string(),
  fleetName: z.string().nullable(),
  problems: z.array(fleetProblemSchema),
  /** Empty when there are problems. */
  workers: z.array(resolvedFleetWorkerSchema),
  layers: z.array(z.array(z.string())),
  maxConcurrent: z.number().int(),
  maxBudgetFleet: z.number().nullable(),
  ascii: z.string(),
  mermaid: z.string(),
});
export type FleetPreview = z.infer<typeof fleetPreviewSchema>;

export const fleetStates = ['running', 'finished', 'killed'] as const;
export const fleetStateSchema = z.enum(fleetStates);
export type FleetState = z.infer<typeof fleetStateSchema>;

/**
 * A fleet worker's state. `waiting`: a dependency has not finished yet. `ready`: its dependencies
 * succeeded, it waits for a slot. `held`: the fleet budget is reached, so it is not launched.
 * `blocked`: a dependency failed or was killed (reason `dependency_failed`); only the operator starts it.
 */
export const fleetWorkerStates = ['waiting', 'ready', 'running', 'succeeded', 'failed', 'killed', 'blocked', 'held'] as const;
export const fleetWorkerStateSchema = z.enum(fleetWorkerStates);
export type FleetWorkerState = z.infer<typeof fleetWorkerStateSchema>;

/** Money: `exact` as the provider reported it (Claude), `estimate` from a named price table (Codex), `none`. */
export const spendSchema = z.object({
  usd: z.number(),
  truth: z.enum(['exact', 'estimate', 'none']),
  /** For an estimate: the price table it came from, e.g. "openai-list-2026-06". */
  priceTable: z.string().nullable(),
});
export type Spend = z.infer<typeof spendSchema>;

export const fleetTokensSchema = z.object({
  input: z.number().int(),
  output: z.number().int(),
  reasoning: z.number().int(),
  cacheRead: z.number().int(),
  cacheWrite: z.number().int(),
  total: z.number().int(),
});
export type FleetTokens = z.infer<typeof fleetTokensSchema>;

export const fleetWorkerViewSchema = resolvedFleetWorkerSchema.extend({
  state: fleetWorkerStateSchema,
  /** Why it is blocked, held or failed, in words (e.g. "dependency_failed: researcher-2 failed"). */
  reason: z.string().nullable(),
  /** The current (latest) assignment running this worker; its card and pane. */
  assignmentId: z.string().nullable(),
  /** How many times the operator relaunched it. */
  relaunches: z.number().int(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  turns: z.number().int(),
  tokens: fleetTokensSchema,
  spend: spendSchema,
  lastMessage: z.string(),
  /** When it last logged anything (a long silence is shown, never acted on). */
  lastActivityAt: z.string().nullable(),
});
export type FleetWorkerView = z.infer<typeof fleetWorkerViewSchema>;

export const fleetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  root: z.string(),
  state: fleetStateSchema,
  /** Layers whose every worker has ended / all layers. */
  layersDone: z.number().int(),
  layerCount: z.number().int(),
  counts: z.record(fleetWorkerStateSchema, z.number().int()),
  maxConcurrent: z.number().int(),
  spend: spendSchema,
  maxBudgetFleet: z.number().nullable(),
  budgetReached: z.boolean(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
});
export type FleetSummary = z.infer<typeof fleetSummarySchema>;

export const fleetDetailSchema = z.object({
  summary: fleetSummarySchema,
  workers: z.array(fleetWorkerViewSchema),
  layers: z.array(z.array(z.string())),
  ascii: z.string(),
  mermaid: z.string(),
});
export type FleetDetail = z.infer<typeof fleetDetailSchema>;

/** One line of the unified feed across a fleet's workers, in time order. */
export const fleetFeedEntrySchema = z.object({
  /** Monotonic within the fleet: `fleets.feed` pages with `after`. */
  cursor: z.number().int(),
  at: z.string(),
  workerId: z.string(),
  kind: z.enum(['message', 'tool_call', 'tool_result', 'state']),
  text: z.string(),
});
export type FleetFeedEntry = z.infer<typeof fleetFeedEntrySchema>;

/** Either a registered fleet's name or its absolute root. */
export const fleetRefSchema = z.object({ fleet: z.string().min(1).max(4096) });

export const composeFleetInputSchema = z.object({
  root: z.string().min(1).max(4096),
  file: fleetFileSchema,
  /** `workers/<id>/prompt.md` for each worker id. */
  prompts: z.record(z.string(), z.string()),
  /** Refuse to overwrite an existing fleet.json unless set. */
  overwrite: z.boolean().default(false),
});
export type ComposeFleetInput = z.input<typeof composeFleetInputSchema>;

/** The line every worker's prompt gets verbatim (the seed's), with the real root and id. */
export function outputLine(root: string, workerId: string): string {
  return `Save ALL output files to ${root}/workers/${workerId}/output/ — use absolute paths.`;
}
