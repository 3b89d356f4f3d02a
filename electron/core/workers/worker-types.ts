import type { WorkerType } from '../../../shared/domain';

/** Claude's disallowed tools per worker type (the table in provider-clis.md). */
export const CLAUDE_DISALLOWED_TOOLS: Record<WorkerType, readonly string[]> = {
  'read-only': ['Bash', 'Edit', 'Write', 'Agent', 'WebFetch', 'WebSearch'],
  write: ['Bash', 'Agent', 'WebFetch', 'WebSearch'],
  'code-run': ['Agent', 'WebFetch', 'WebSearch'],
  research: ['Bash', 'Edit', 'Agent'],
  reviewer: ['Bash', 'Edit', 'Agent', 'WebFetch', 'WebSearch'],
  orchestrator: ['Agent', 'WebFetch', 'WebSearch', 'Edit'],
};

/** The tools a headless Claude worker may use without asking; a worker type then takes some away. */
export const CLAUDE_TOOLS = ['Bash', 'Edit', 'Write', 'Read', 'Glob', 'Grep', 'WebFetch', 'WebSearch'] as const;

/** Codex's sandbox per worker type; research also gets live web search. */
export const CODEX_SANDBOX: Record<WorkerType, { sandbox: 'read-only' | 'workspace-write'; webSearch: boolean }> = {
  'read-only': { sandbox: 'read-only', webSearch: false },
  write: { sandbox: 'workspace-write', webSearch: false },
  'code-run': { sandbox: 'workspace-write', webSearch: false },
  research: { sandbox: 'workspace-write', webSearch: true },
  reviewer: { sandbox: 'workspace-write', webSearch: false },
  orchestrator: { sandbox: 'workspace-write', webSearch: false },
};
