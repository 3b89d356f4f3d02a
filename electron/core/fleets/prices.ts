import type { FleetTokens } from '../../../shared/fleets';

/**
 * Codex reports tokens but no cost, so its money figures are estimates from this table, and are
 * always labelled with its name. The prices are OpenAI's public list prices as of the table's date
 * (standard processing, prompts under 272K tokens), in USD per million tokens: an estimate, never
 * the bill (plans, batch discounts and long-context surcharges differ).
 */
export const PRICE_TABLE_NAME = 'openai-list-2026-06';

const TOKENS_PER_MILLION = 1_000_000;

export interface ModelPrices {
  /** Uncached input tokens. */
  inputPerMillion: number;
  /** Input read from the prompt cache. */
  cachedInputPerMillion: number;
  /** Output tokens, reasoning included (OpenAI bills reasoning as output). */
  outputPerMillion: number;
}

/** gpt-5.4: the seed's recommended default. */
const GPT_5_4: ModelPrices = { inputPerMillion: 2.5, cachedInputPerMillion: 0.25, outputPerMillion: 15 };
/** gpt-5.4-mini: the seed's fast, cheap model for validators. */
const GPT_5_4_MINI: ModelPrices = { inputPerMillion: 0.75, cachedInputPerMillion: 0.075, outputPerMillion: 4.5 };
/** gpt-5.3-codex: the seed's coding-focused model. */
const GPT_5_3_CODEX: ModelPrices = { inputPerMillion: 1.75, cachedInputPerMillion: 0.175, outputPerMillion: 14 };

export const PRICE_TABLE: Readonly<Record<string, ModelPrices>> = {
  'gpt-5.4': GPT_5_4,
  'gpt-5.4-mini': GPT_5_4_MINI,
  'gpt-5.3-codex': GPT_5_3_CODEX,
};

/**
 * An estimate in USD of what these tokens cost at the table's list prices, or null when the model
 * is not in the table (or not known: a worker left on the CLI's default model). Token columns are
 * disjoint, as the store keeps them: `input` is uncached input, `output` excludes `reasoning`.
 * OpenAI charges no premium for writing the cache, so cache writes cost plain input.
 */
export function estimateUsd(model: string | null, tokens: FleetTokens): number | null {
  if (model === null) return null;
  const prices = Object.hasOwn(PRICE_TABLE, model) ? PRICE_TABLE[model] : undefined;
  if (prices === undefined) return null;
  const usd =
    (tokens.input + tokens.cacheWrite) * prices.inputPerMillion +
    tokens.cacheRead * prices.cachedInputPerMillion +
    (tokens.output + tokens.reasoning) * prices.outputPerMillion;
  return usd / TOKENS_PER_MILLION;
}
