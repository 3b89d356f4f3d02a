import { z } from 'zod';
import { reasoningEffortSchema } from '../../../shared/domain';

/** What a Claude or Codex assignment keeps in its options column, from the New task request. */
export const providerOptionsSchema = z.object({
  maxTurns: z.number().int().positive().optional(),
  maxBudgetUsd: z.number().positive().optional(),
  reasoningEffort: reasoningEffortSchema.optional(),
});
export type ProviderOptions = z.infer<typeof providerOptionsSchema>;
