/** Usage of one completed provider turn, in the token row's own columns. */
export interface TurnUsage {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

/** What every provider adapter turns its output into; the transcript and the store read only these. */
export type WorkerEvent =
  | { type: 'session'; sessionId: string; model: string; cwd: string; tools: string[] }
  | { type: 'message'; text: string }
  | { type: 'tool_call'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; toolUseId: string; content: string; isError: boolean }
  | { type: 'retry'; attempt: number; maxRetries: number; delayMs: number; error: string }
  | {
      type: 'turn_completed';
      sessionId: string | null;
      model: string | null;
      usage: TurnUsage;
      /** The provider's own cumulative cost for the session, when it reports one. */
      cumulativeCostUsd: number | null;
      isError: boolean;
      subtype: string;
      resultText: string;
      numTurns: number | null;
    }
  | { type: 'ignored'; eventType: string }
  | { type: 'unparsed'; line: string };

export function usageTotal(usage: TurnUsage): number {
  return usage.input + usage.output + usage.reasoning + usage.cacheRead + usage.cacheWrite;
}
