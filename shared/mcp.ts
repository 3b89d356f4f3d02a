import { z } from 'zod';

/**
 * `khala mcp` runs in an agent's process, often with no host up. When it cannot reach one it appends a
 * line to this file in the data dir, and the host raises each line as an `mcp_failed` Inbox item when it
 * next starts (the agent itself may never tell the owner).
 */
export const MCP_FAILURES_FILE = 'mcp-failures.jsonl';

export const mcpFailureSchema = z.object({
  id: z.string().min(1).max(100),
  at: z.string(),
  /** The tool the agent called. */
  tool: z.string().max(100),
  /** What went wrong, in the CLI's words (e.g. "No Khala host is running on ..."). */
  detail: z.string().max(2_000),
});
export type McpFailure = z.infer<typeof mcpFailureSchema>;
