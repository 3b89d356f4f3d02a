import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { accountSchema } from '../shared/accounts';
import { spawnRequestSchema, taskRequestInputSchema } from '../shared/contract';
import { fleetDetailSchema, fleetSummarySchema } from '../shared/fleets';
import { MCP_FAILURES_FILE, type McpFailure } from '../shared/mcp';
import { fleetRunSchema, newRunInputSchema, runControlSchema, runLogEntrySchema } from '../shared/runs';
import { closeoutSchema } from '../shared/domain';
import { OWNER_ONLY_DIR, OWNER_ONLY_FILE } from '../electron/core/store/owner-only';
import { CliFailure } from './failure';
import { HostClient } from './host-client';
import { fleetRef } from './verbs/dag';
import { closeoutSummary, REQUEST_FLAGS } from './verbs/tasks';
import { parseInput, titleFromPrompt } from './input';

/** The server's name as agents list it (`claude mcp list`, Codex's `[mcp_servers.khala_fleet]`). */
export const MCP_SERVER_NAME = 'khala_fleet';

/** What an agent gives for one bounded task; the worker kind is the tool's. */
const spawnShape = {
  prompt: z.string().min(1).describe('What the worker should do (a bounded, public-safe objective)'),
  repo: z.string().min(1).describe('Absolute path of the local repository'),
  branch: z.string().optional().describe('The branch the repository must be on'),
  commit: z.string().optional().describe('The commit the repository must be at'),
  verify: z.string().min(1).describe('The command that proves the work, run in the worktree'),
  title: z.string().optional().describe("The card's title (default: the prompt's first line)"),
  account: z.string().optional().describe('The account ref to run on (default: a ready one)'),
  model: z.string().optional(),
  maxTurns: z.number().int().min(1).optional(),
};

const pendingApproval = {
  approvalRef: z.string().describe('The Inbox approval: the owner approves it on the board or with `khala approve <ref>`'),
  state: z.string(),
  message: z.string(),
};

/**
 * `khala mcp`: the fleet's MCP server over stdio. Each call connects to the running host through
 * host.json. The seed's guardrail holds: a spawn or a run asked for here is only proposed, and spends
 * nothing until the owner approves it in the Inbox.
 */
export async function runMcpServer(dataDir: string, version: string): Promise<void> {
  const server = new McpServer({ name: MCP_SERVER_NAME, version });

  /** One call: connect, do it, answer with structured content (and the same JSON as text), close. */
  const call = async (tool: string, body: (client: HostClient) => Promise<Record<string, unknown>>) => {
    let client: HostClient | null = null;
    try {
      client = await HostClient.connect(dataDir);
      const result = await body(client);
      return { content: [{ type: 'text' as const, text: JSON.stringify(result, null, 2) }], structuredContent: result };
    } catch (error) {
      const failure = error instanceof CliFailure ? error : new CliFailure('internal', 'The call failed inside khala mcp.');
      if (failure.code === 'host_unavailable') recordFailure(dataDir, tool, failure.message);
      return { isError: true, content: [{ type: 'text' as const, text: `${failure.code}: ${failure.message}` }] };
    } finally {
      client?.close();
    }
  };

  server.registerTool(
    'khala_fleet_status',
    {
      title: 'Fleet status',
      description: 'The account inventory (readiness, slots, busy, paused, cooldown), the sustained runs and the DAG fleets.',
      inputSchema: {},
      outputSchema: { accounts: z.array(accountSchema), runs: z.array(fleetRunSchema), fleets: z.array(fleetSummarySchema) },
    },
    () =>
      call('khala_fleet_status', async (client) => ({
        accounts: await client.invoke('accounts.list', {}),
        runs: await client.invoke('runs.list', {}),
        fleets: await client.invoke('fleets.list', {}),
      })),
  );

  for (const workerKind of ['codex', 'claude'] as const) {
    const tool = `${workerKind}_spawn`;
    server.registerTool(
      tool,
      {
        title: `Spawn one ${workerKind} worker`,
        description: `Ask for one bounded ${workerKind} task in a worktree at the pinned commit, verified and closed out. It does not start or spend until the owner approves it in the Khala Inbox; the result is the pending approval and its ref.`,
        inputSchema: spawnShape,
        outputSchema: { ...pendingApproval, spawn: spawnRequestSchema },
      },
      async (args) =>
        call(tool, async (client) => {
          const request = parseInput(
            taskRequestInputSchema,
            {
              title: args.title ?? titleFromPrompt(args.prompt),
              prompt: args.prompt,
              repoPath: args.repo,
              branch: args.branch,
              commit: args.commit,
              verifyCommand: args.verify,
              workerKind,
              accountRef: args.account,
              model: args.model,
              maxTurns: args.maxTurns,
            },
            { ...REQUEST_FLAGS, repoPath: 'repo', verifyCommand: 'verify', accountRef: 'account' },
          );
          const spawn = await client.invoke('spawns.propose', { ...request, requestedBy: tool });
          return {
            approvalRef: spawn.id,
            state: spawn.state,
            message: `Waiting for the owner's approval in the Inbox (khala approve ${spawn.id}). Nothing runs or spends before it.`,
            spawn,
          };
        }),
    );
  }

  server.registerTool(
    'fleet_run_start',
    {
      title: 'Start a sustained run',
      description: 'Create a fleet run over a work source (GitHub issues, a task file or fixture units). It starts as a draft: nothing is claimed or spent until the owner approves it in the Inbox.',
      inputSchema: newRunInputSchema.shape,
      outputSchema: { ...pendingApproval, run: fleetRunSchema },
    },
    async (args) =>
      call('fleet_run_start', async (client) => {
        const run = await client.invoke('runs.create', parseInput(newRunInputSchema, args));
        return { approvalRef: run.id, state: run.state, message: `Run ${run.name} waits for the owner's approval in the Inbox (khala approve ${run.id}).`, run };
      }),
  );

  server.registerTool(
    'fleet_run_status',
    {
      title: 'Run status',
      description: 'Every run, or one run with its claim/skip log.',
      inputSchema: { runId: z.string().optional() },
      outputSchema: { runs: z.array(fleetRunSchema), log: z.array(runLogEntrySchema) },
    },
    async ({ runId }) =>
      call('fleet_run_status', async (client) => {
        if (!runId) return { runs: await client.invoke('runs.list', {}), log: [] };
        const { run, log } = await client.invoke('runs.get', { runId });
        return { runs: [run], log };
      }),
  );

  server.registerTool(
    'fleet_run_control',
    {
      title: 'Steer a run',
      description: 'pause | resume | drain | stop. A control the run state does not allow is refused.',
      inputSchema: { runId: z.string().min(1), control: runControlSchema },
      outputSchema: { run: fleetRunSchema },
    },
    async ({ runId, control }) => call('fleet_run_control', async (client) => ({ run: await client.invoke('runs.control', { runId, control }) })),
  );

  server.registerTool(
    'dag_launch',
    {
      title: 'Launch a DAG fleet',
      description:
        "Ask to launch a fleet folder (fleet.json and workers/<id>/prompt.md). The folder is checked now (a cycle is refused as CYCLE:a,b,...); it is registered and started only when the owner approves it in the Khala Inbox. The result is the pending approval and its ref.",
      inputSchema: { root: z.string().min(1).describe('Absolute path of the fleet root') },
      outputSchema: { ...pendingApproval, spawn: spawnRequestSchema },
    },
    async ({ root }) =>
      call('dag_launch', async (client) => {
        const spawn = await client.invoke('spawns.proposeFleet', { root: path.resolve(root), requestedBy: 'dag_launch' });
        return {
          approvalRef: spawn.id,
          state: spawn.state,
          message: `Waiting for the owner's approval in the Inbox (khala approve ${spawn.id}). Nothing is launched or spent before it.`,
          spawn,
        };
      }),
  );

  server.registerTool(
    'dag_status',
    {
      title: 'DAG fleet status',
      description: "A fleet's workers (state, turns, tokens, spend, last message), by name or root.",
      inputSchema: { fleet: z.string().min(1) },
      outputSchema: { fleet: fleetDetailSchema },
    },
    async ({ fleet }) => call('dag_status', async (client) => ({ fleet: await client.invoke('fleets.get', { fleet: fleetRef(fleet) }) })),
  );

  server.registerTool(
    'closeout',
    {
      title: 'Closeout checklist',
      description: "An assignment's closeout: ok only when every check passed (refs, lifecycle, raw log, exact token rows, verify, no-spend proof).",
      inputSchema: { assignmentRef: z.string().min(1) },
      outputSchema: { assignmentRef: z.string(), ok: z.boolean(), status: z.string(), blockers: z.array(z.string()), closeout: closeoutSchema },
    },
    async ({ assignmentRef }) =>
      call('closeout', async (client) => {
        const { card } = await client.invoke('assignments.get', { assignmentId: assignmentRef });
        return { assignmentRef, ...closeoutSummary(card), closeout: card.closeout };
      }),
  );

  await server.connect(new StdioServerTransport());
}

/** The host reads this file when it next starts and raises each line as an `mcp_failed` Inbox item. */
function recordFailure(dataDir: string, tool: string, detail: string): void {
  const failure: McpFailure = { id: randomUUID(), at: new Date().toISOString(), tool, detail };
  try {
    mkdirSync(dataDir, { recursive: true, mode: OWNER_ONLY_DIR });
    appendFileSync(path.join(dataDir, MCP_FAILURES_FILE), `${JSON.stringify(failure)}\n`, { mode: OWNER_ONLY_FILE });
  } catch {
    // The agent still gets the error; a data dir that cannot be written has no Inbox to tell either.
  }
}
