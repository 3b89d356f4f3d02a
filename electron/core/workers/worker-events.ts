import { RATE_LIMITED } from '../accounts/rate-limits';

/** Usage of one completed provider turn, in the token row's own columns (disjoint: they add up to the total). */
export interface TurnUsage {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

/** What every provider adapter turns its output into; the transcript and the store read only these. */
export type WorkerEvent =
  /** model and cwd are null where the provider does not report them (Codex's thread.started). */
  | { type: 'session'; sessionId: string; model: string | null; cwd: string | null; tools: string[] }
  | { type: 'message'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; toolUseId: string; content: string; isError: boolean }
  | { type: 'command'; id: string; command: string; phase: 'started' | 'finished'; output: string; exitCode: number | null }
  | { type: 'file_change'; changes: { path: string; kind: string }[] }
  | { type: 'mcp_call'; server: string; tool: string; status: string; error: string | null }
  | { type: 'web_search'; query: string }
  | { type: 'todo'; items: { text: string; completed: boolean }[] }
  | { type: 'retry'; attempt: number; maxRetries: number; delayMs: number; error: string }
  /** A non-fatal error line (Codex reports reconnects this way); only a failed turn ends the turn. */
  | { type: 'notice'; message: string }
  | { type: 'turn_started' }
  | {
      type: 'turn_completed';
      sessionId: string | null;
      model: string | null;
      usage: TurnUsage;
      /** The provider's own total for the turn, as it reported it. */
      reportedTotal: number;
      /** The provider's own cumulative cost for the session, when it reports one. */
      cumulativeCostUsd: number | null;
      isError: boolean;
      subtype: string;
      resultText: string;
      numTurns: number | null;
      /** The model API's HTTP status when the turn ended on an API error (Claude's api_error_status). */
      apiErrorStatus?: number | null;
    }
  | { type: 'turn_failed'; message: string }
  | { type: 'ignored'; eventType: string }
  | { type: 'unparsed'; line: string };

export function usageTotal(usage: TurnUsage): number {
  return usage.input + usage.output + usage.reasoning + usage.cacheRead + usage.cacheWrite;
}

/** The provider's verdict on the run, read from its final event. */
export interface FinalResult {
  isError: boolean;
  subtype: string;
  text: string;
  apiErrorStatus?: number | null;
}

/** HTTP 429: the provider's rate or usage limit. */
const TOO_MANY_REQUESTS = 429;

/** A provider's rate or usage limit, in either CLI's words (Claude's rate_limit_error, Codex's "usage limit"). */
export function isRateLimit(result: FinalResult): boolean {
  return result.apiErrorStatus === TOO_MANY_REQUESTS || /\b429\b|rate[_ ]limit|usage limit|too many requests/i.test(result.text);
}

/** Why a worker failed, named for the card (fleet-model.md asks for the cause, not just "failed"). */
export function failureCause(result: FinalResult | null, interrupted: boolean): string {
  if (interrupted) return 'interrupted';
  if (!result) return 'worker_crashed';
  if (result.subtype === 'error_max_turns') return 'max_turns';
  if (result.subtype === 'error_max_budget_usd') return 'budget_exhausted';
  if (result.isError && isRateLimit(result)) return RATE_LIMITED;
  // A 401, a refused key, or (Codex with a ChatGPT login) a token refresh that the issuer refused.
  if (/\b401\b|unauthori[sz]ed|authentication|invalid (x-)?api[ -]?key|not logged in|please run \/login|refresh (the )?token/i.test(result.text)) {
    return 'credentials_invalid';
  }
  return 'worker_failed';
}
