import { describe, expect, it } from 'vitest';
import { parseClaudeLine } from '../workers/claude-stream';
import { parseCodexLine } from '../workers/codex-stream';
import { failureCause, type FinalResult } from '../workers/worker-events';
import { cooldownEnd, RATE_LIMIT_BACKOFF_MS, RATE_LIMIT_BREAKER_COOLDOWN_MS, RATE_LIMIT_BREAKER_STREAK, resetTimeIn } from './rate-limits';

const NOW = Date.parse('2026-12-02T08:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Claude's result once its retries run out on a 429, as the real CLI printed it (recorded/claude-429.jsonl). */
const CLAUDE_429 = JSON.stringify({
  type: 'result',
  subtype: 'success',
  is_error: true,
  api_error_status: 429,
  api_error_type: 'rate_limit_error',
  terminal_reason: 'api_error',
  result: "API Error: Request rejected (429) · This request would exceed your account's rate limit. Please try again later.",
  usage: { input_tokens: 0, output_tokens: 0 },
});
/** Codex with a ChatGPT login: the usage-limit message, then turn.failed. */
const CODEX_USAGE_LIMIT = JSON.stringify({
  type: 'turn.failed',
  error: { message: "You've hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), or try again in 2h 3m." },
});

function finalOf(events: ReturnType<typeof parseClaudeLine>): FinalResult {
  const event = events[0]!;
  if (event.type === 'turn_completed') return { isError: event.isError, subtype: event.subtype, text: event.resultText, apiErrorStatus: event.apiErrorStatus ?? null };
  if (event.type === 'turn_failed') return { isError: true, subtype: 'turn_failed', text: event.message };
  throw new Error(`not a final event: ${event.type}`);
}

describe('rate limits', () => {
  it('reads both CLIs\' rate and usage limits as rate_limited, and other failures not', () => {
    expect(failureCause(finalOf(parseClaudeLine(CLAUDE_429)), false)).toBe('rate_limited');
    expect(failureCause(finalOf(parseCodexLine(CODEX_USAGE_LIMIT)), false)).toBe('rate_limited');
    const codex429 = JSON.stringify({ type: 'turn.failed', error: { message: 'exceeded retry limit, last status: 429 Too Many Requests' } });
    expect(failureCause(finalOf(parseCodexLine(codex429)), false)).toBe('rate_limited');
    expect(failureCause({ isError: true, subtype: 'turn_failed', text: 'unexpected status 401 Unauthorized' }, false)).toBe('credentials_invalid');
    expect(failureCause({ isError: true, subtype: 'error_max_turns', text: 'tuned the rate limiter' }, false)).toBe('max_turns');
  });

  it('takes the reset time a message names, else backs off', () => {
    expect(resetTimeIn('try again in 2h 3m.', NOW)).toBe(NOW + 2 * HOUR + 3 * MINUTE);
    expect(resetTimeIn('or try again in 1 day 4 hours 5 minutes.', NOW)).toBe(NOW + 28 * HOUR + 5 * MINUTE);
    expect(resetTimeIn('Your limit resets at 2026-12-02T11:30:00Z.', NOW)).toBe(Date.parse('2026-12-02T11:30:00Z'));
    expect(resetTimeIn('rate_limit_error: please try again later', NOW)).toBeNull();
    expect(cooldownEnd('rate_limit_error', 0, NOW)).toBe(NOW + RATE_LIMIT_BACKOFF_MS);
  });

  it(`cools longer after ${RATE_LIMIT_BREAKER_STREAK} limits in a row`, () => {
    expect(cooldownEnd('try again in 5m', RATE_LIMIT_BREAKER_STREAK - 1, NOW)).toBe(NOW + 5 * MINUTE);
    expect(cooldownEnd('try again in 5m', RATE_LIMIT_BREAKER_STREAK, NOW)).toBe(NOW + RATE_LIMIT_BREAKER_COOLDOWN_MS);
    expect(cooldownEnd('try again in 9h', RATE_LIMIT_BREAKER_STREAK, NOW)).toBe(NOW + 9 * HOUR);
  });
});
