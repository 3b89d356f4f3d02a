import { describe, expect, it } from 'vitest';
import type { FleetTokens } from '../../../shared/fleets';
import { PRICE_TABLE, PRICE_TABLE_NAME, estimateUsd } from './prices';

function tokens(partial: Partial<FleetTokens>): FleetTokens {
  const filled = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0, ...partial };
  return { ...filled, total: filled.input + filled.output + filled.reasoning + filled.cacheRead + filled.cacheWrite };
}

describe('estimateUsd', () => {
  it('names its table with the date of its prices', () => {
    expect(PRICE_TABLE_NAME).toMatch(/^openai-list-\d{4}-\d{2}$/);
    expect(Object.keys(PRICE_TABLE).sort()).toEqual(['gpt-5.3-codex', 'gpt-5.4', 'gpt-5.4-mini']);
  });

  it('prices a million of each kind at the list price: input, cached input, output and reasoning as output', () => {
    const million = 1_000_000;
    expect(estimateUsd('gpt-5.4', tokens({ input: million }))).toBeCloseTo(2.5, 10);
    expect(estimateUsd('gpt-5.4', tokens({ cacheRead: million }))).toBeCloseTo(0.25, 10);
    expect(estimateUsd('gpt-5.4', tokens({ output: million }))).toBeCloseTo(15, 10);
    expect(estimateUsd('gpt-5.4', tokens({ reasoning: million }))).toBeCloseTo(15, 10);
    expect(estimateUsd('gpt-5.4', tokens({ cacheWrite: million }))).toBeCloseTo(2.5, 10);
    expect(estimateUsd('gpt-5.4-mini', tokens({ input: million, output: million }))).toBeCloseTo(0.75 + 4.5, 10);
    expect(estimateUsd('gpt-5.3-codex', tokens({ input: million, cacheRead: million, output: million }))).toBeCloseTo(1.75 + 0.175 + 14, 10);
  });

  it('a realistic Codex turn: 12,000 uncached in, 30,000 cached, 900 out, 400 reasoning on gpt-5.4', () => {
    const usd = estimateUsd('gpt-5.4', tokens({ input: 12_000, cacheRead: 30_000, output: 900, reasoning: 400 }));
    expect(usd).toBeCloseTo((12_000 * 2.5 + 30_000 * 0.25 + 1_300 * 15) / 1_000_000, 12);
  });

  it('is null for an unknown model, no model, or a name that is only an object key', () => {
    const some = tokens({ input: 100, output: 100 });
    expect(estimateUsd('sonnet', some)).toBeNull();
    expect(estimateUsd('GPT-5.4 ', some)).toBeNull();
    expect(estimateUsd(null, some)).toBeNull();
    expect(estimateUsd('constructor', some)).toBeNull();
    expect(estimateUsd('__proto__', some)).toBeNull();
  });

  it('no tokens cost nothing', () => {
    expect(estimateUsd('gpt-5.4', tokens({}))).toBe(0);
  });
});
