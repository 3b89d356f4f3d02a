import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MCP_FAILURES_FILE, mcpFailureSchema, type McpFailure } from '../../../shared/mcp';
import type { InboxItem } from '../../../shared/runs';
import { OWNER_ONLY_FILE } from '../store/owner-only';

/** The Inbox's id prefix for these items: a dismissal with it is this file's, not a host fault's. */
const ITEM_PREFIX = 'mcp:';
/** An agent retrying against a stopped host can write a line per call: the Inbox keeps the newest this many. */
const FAILURES_KEPT = 50;

/**
 * The failures `khala mcp` recorded while no host was reachable, read once when the host starts. Each
 * stays an `mcp_failed` Inbox item until the owner dismisses it (which rewrites the file without it).
 */
export class McpFailures {
  private failures: McpFailure[];

  constructor(
    private readonly dataDir: string,
    log: (message: string) => void,
  ) {
    this.failures = readFailures(this.file, log);
  }

  private get file(): string {
    return path.join(this.dataDir, MCP_FAILURES_FILE);
  }

  inboxItems(): InboxItem[] {
    return this.failures.map((failure) => ({
      id: `${ITEM_PREFIX}${failure.id}`,
      kind: 'mcp_failed',
      severity: 'warning',
      title: `An agent's MCP call ${failure.tool} could not reach the host`,
      detail: `${failure.detail} The agent got an error and nothing was started.`,
      refs: { tool: failure.tool },
      action: { kind: 'dismiss_fault', faultId: `${ITEM_PREFIX}${failure.id}` },
      actionLabel: 'Dismiss',
      createdAt: failure.at,
    }));
  }

  /** True when the id was one of these items (and it is gone now). */
  dismiss(itemId: string): boolean {
    if (!itemId.startsWith(ITEM_PREFIX)) return false;
    const id = itemId.slice(ITEM_PREFIX.length);
    this.failures = this.failures.filter((failure) => failure.id !== id);
    if (this.failures.length === 0) rmSync(this.file, { force: true });
    else writeFileSync(this.file, this.failures.map((failure) => `${JSON.stringify(failure)}\n`).join(''), { mode: OWNER_ONLY_FILE });
    return true;
  }
}

/** A line that is not a failure (a torn write, an edit) is skipped and logged, never fatal. */
function readFailures(file: string, log: (message: string) => void): McpFailure[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const failures: McpFailure[] = [];
  for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
    try {
      failures.push(mcpFailureSchema.parse(JSON.parse(line)));
    } catch {
      log(`${MCP_FAILURES_FILE}: skipped a line that is not an MCP failure`);
    }
  }
  return failures.slice(-FAILURES_KEPT);
}
