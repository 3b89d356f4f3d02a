import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MCP_FAILURES_FILE } from '../shared/mcp';
import { openInvokeClient } from '../electron/test-support/invoke-client';
import { makeTempRepo, tempDir } from '../electron/test-support/temp-repo';
import { buildKhala, khalaEnv, runKhala, serveHost, type ServedHost } from './test-support/khala-process';

const FAKE_CODEX = path.resolve(import.meta.dirname, '../electron/test-support/fake-clis/fake-codex.cjs');
const TOOLS = ['khala_fleet_status', 'codex_spawn', 'claude_spawn', 'fleet_run_start', 'fleet_run_status', 'fleet_run_control', 'dag_launch', 'dag_status', 'closeout'];

let khala: string;
const clients: Client[] = [];
beforeAll(async () => {
  khala = await buildKhala();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/** The SDK's own client, spawning `khala mcp` over stdio as an agent's harness does. */
async function mcpClient(dataDir: string): Promise<Client> {
  const client = new Client({ name: 'khala-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [khala, 'mcp', '--data-dir', dataDir], env: khalaEnv() }));
  clients.push(client);
  return client;
}

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[]; structuredContent?: Record<string, unknown> };
async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

function fleetFolder(name: string, workers: { id: string; depends_on?: string[] }[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'khala-mcp-fleet-'));
  writeFileSync(path.join(root, 'fleet.json'), JSON.stringify({ fleet_name: name, config: { provider: 'fixture', fixture: { durationMs: 100 } }, workers }));
  for (const worker of workers) {
    mkdirSync(path.join(root, 'workers', worker.id), { recursive: true });
    writeFileSync(path.join(root, 'workers', worker.id, 'prompt.md'), `Task of ${worker.id}\n`);
  }
  return root;
}

describe('khala mcp', () => {
  it('lists the khala_fleet tools, each with an input and an output schema', async () => {
    const client = await mcpClient(tempDir());
    expect(client.getServerVersion()?.name).toBe('khala_fleet');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOLS].sort());
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description?.length).toBeGreaterThan(20);
    }
    const spawn = tools.find((tool) => tool.name === 'codex_spawn');
    expect(spawn?.inputSchema.required).toEqual(expect.arrayContaining(['prompt', 'repo', 'verify']));
  });

  it('a call that finds no host is an error to the agent and an mcp_failed item in the Inbox when the host next starts', async () => {
    const dataDir = tempDir();
    const client = await mcpClient(dataDir);
    const result = await callTool(client, 'khala_fleet_status');
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toContain('host_unavailable: No Khala host is running');
    expect(readFileSync(path.join(dataDir, MCP_FAILURES_FILE), 'utf8')).toContain('"tool":"khala_fleet_status"');

    const host = await serveHost(khala, dataDir);
    try {
      const inbox = JSON.parse((await runKhala(khala, ['inbox', '--json'], { dataDir })).stdout) as { id: string; kind: string; title: string; action: { kind: string; faultId?: string } }[];
      const failed = inbox.find((item) => item.kind === 'mcp_failed');
      expect(failed?.title).toBe("An agent's MCP call khala_fleet_status could not reach the host");
      expect(failed?.action.kind).toBe('dismiss_fault');
      // The owner dismisses it as any fault: it leaves the Inbox and the file.
      const hostFile = JSON.parse(readFileSync(path.join(dataDir, 'host.json'), 'utf8')) as { url: string; token: string };
      const board = await openInvokeClient(`${hostFile.url}?token=${hostFile.token}`);
      expect(await board.invoke('host.dismissFault', { faultId: failed?.action.faultId })).toEqual({ ok: true, value: {} });
      board.ws.close();
      const after = JSON.parse((await runKhala(khala, ['inbox', '--json'], { dataDir })).stdout) as { kind: string }[];
      expect(after.some((item) => item.kind === 'mcp_failed')).toBe(false);
      expect(existsSync(path.join(dataDir, MCP_FAILURES_FILE))).toBe(false);
    } finally {
      expect(await host.stop()).toBe(0);
    }
  });

  describe('against a running host', () => {
    let dataDir: string;
    let host: ServedHost;
    let fakeBin: string;

    beforeAll(async () => {
      dataDir = tempDir();
      fakeBin = mkdtempSync(path.join(os.tmpdir(), 'khala-mcp-bin-'));
      copyFileSync(FAKE_CODEX, path.join(fakeBin, 'codex'));
      chmodSync(path.join(fakeBin, 'codex'), 0o755);
      writeFileSync(path.join(fakeBin, 'mode.json'), JSON.stringify({ approveAfterMs: 100, turnMs: 100 }));
      host = await serveHost(khala, dataDir, { PATH: `${fakeBin}:/usr/bin:/bin` });
    });
    afterAll(async () => {
      expect(await host.stop()).toBe(0);
    });

    const execCalls = () =>
      existsSync(path.join(fakeBin, 'calls.jsonl'))
        ? readFileSync(path.join(fakeBin, 'calls.jsonl'), 'utf8').split('\n').filter((line) => line.includes('"exec"')).length
        : 0;

    it('codex_spawn only proposes: nothing runs until the owner approves it, then the task runs and closeout reports it', async () => {
      expect((await runKhala(khala, ['fleet', 'connect', '--harness', 'codex', '--account', 'agent-work'], { dataDir })).code).toBe(0);
      const client = await mcpClient(dataDir);

      const status = await callTool(client, 'khala_fleet_status');
      expect(status.isError).toBeFalsy();
      expect(status.structuredContent).toMatchObject({ accounts: [expect.objectContaining({ ref: 'agent-work', readiness: 'ready' })], runs: [], fleets: [] });

      const repo = makeTempRepo();
      const spawned = await callTool(client, 'codex_spawn', { prompt: 'Write the notes file', repo, branch: 'main', verify: 'true' });
      expect(spawned.isError).toBeFalsy();
      const approvalRef = String(spawned.structuredContent?.approvalRef);
      expect(spawned.structuredContent).toMatchObject({ state: 'pending', spawn: { id: approvalRef, requestedBy: 'codex_spawn', assignmentId: null } });
      expect(execCalls()).toBe(0);
      const inbox = JSON.parse((await runKhala(khala, ['inbox', '--json'], { dataDir })).stdout) as { kind: string; action: { kind: string; spawnId?: string } }[];
      expect(inbox).toContainEqual(expect.objectContaining({ kind: 'approval_required', action: { kind: 'approve_spawn', spawnId: approvalRef } }));

      const approve = await runKhala(khala, ['approve', approvalRef], { dataDir });
      expect(approve.code).toBe(0);
      const assignmentRef = /assignment (asg-[0-9a-f]+)/.exec(approve.stdout)?.[1] ?? '';
      expect(assignmentRef).not.toBe('');
      expect((await runKhala(khala, ['closeout', assignmentRef, '--wait'], { dataDir })).code).toBe(0);
      expect(execCalls()).toBe(1);

      const closeout = await callTool(client, 'closeout', { assignmentRef });
      expect(closeout.isError).toBeFalsy();
      expect(closeout.structuredContent).toMatchObject({ assignmentRef, ok: true, status: 'ok', blockers: [] });
      expect(closeout.structuredContent?.closeout).toHaveProperty('checks');

      const again = await runKhala(khala, ['approve', approvalRef], { dataDir });
      expect(again.code).toBe(1);
    });

    it('claude_spawn proposes too; a repository off its pin is refused at once, with nothing stored', async () => {
      const client = await mcpClient(dataDir);
      const repo = makeTempRepo();
      const pending = await callTool(client, 'claude_spawn', { prompt: 'Review it', repo, verify: 'true' });
      expect(pending.structuredContent).toMatchObject({ state: 'pending', spawn: { requestedBy: 'claude_spawn', request: { workerKind: 'claude' } } });
      const offPin = await callTool(client, 'claude_spawn', { prompt: 'Review it', repo, branch: 'release', verify: 'true' });
      expect(offPin.isError).toBe(true);
      expect(offPin.content[0]?.text).toMatch(/^pin_mismatch: /);
      const invalid = await callTool(client, 'claude_spawn', { prompt: 'Review it', repo: 'relative/path', verify: 'true' });
      expect(invalid.isError).toBe(true);
      expect(invalid.content[0]?.text).toMatch(/^invalid_input: repo: /);
    });

    it('fleet_run_start makes a draft waiting for approval; fleet_run_status and fleet_run_control follow and steer it', async () => {
      const client = await mcpClient(dataDir);
      const repo = makeTempRepo();
      const started = await callTool(client, 'fleet_run_start', {
        name: 'agent-run',
        source: { kind: 'fixture', units: 2 },
        repoPath: repo,
        verifyCommand: 'true',
        workerKind: 'fixture',
        targetConcurrency: 1,
      });
      expect(started.isError).toBeFalsy();
      const runId = String(started.structuredContent?.approvalRef);
      expect(started.structuredContent).toMatchObject({ state: 'draft', run: { id: runId, approvedAt: null } });

      const status = await callTool(client, 'fleet_run_status', { runId });
      expect(status.structuredContent).toMatchObject({ runs: [expect.objectContaining({ id: runId, state: 'draft' })] });
      const all = await callTool(client, 'fleet_run_status');
      expect((all.structuredContent?.runs as { id: string }[]).map((run) => run.id)).toContain(runId);

      const refused = await callTool(client, 'fleet_run_control', { runId, control: 'pause' });
      expect(refused.isError).toBe(true);
      expect(refused.content[0]?.text).toMatch(/^control_not_allowed: /);
      const stopped = await callTool(client, 'fleet_run_control', { runId, control: 'stop' });
      expect(stopped.structuredContent).toMatchObject({ run: { id: runId, state: 'stopped' } });
    });

    it('dag_launch proposes a checked fleet folder (a cycle is refused as CYCLE:...); approved, dag_status reports it', async () => {
      const client = await mcpClient(dataDir);
      const cyclic = fleetFolder('mcp-loop', [{ id: 'p', depends_on: ['q'] }, { id: 'q', depends_on: ['p'] }]);
      const refused = await callTool(client, 'dag_launch', { root: cyclic });
      expect(refused.isError).toBe(true);
      expect(refused.content[0]?.text).toMatch(/^fleet_cycle: CYCLE:p,q/);

      const root = fleetFolder('mcp-fleet', [{ id: 'one' }]);
      const proposed = await callTool(client, 'dag_launch', { root });
      expect(proposed.structuredContent).toMatchObject({ state: 'pending', spawn: { fleetRoot: root, fleetId: null } });
      const notYet = await callTool(client, 'dag_status', { fleet: 'mcp-fleet' });
      expect(notYet.isError).toBe(true);
      expect(notYet.content[0]?.text).toMatch(/^fleet_not_found: /);

      const approve = await runKhala(khala, ['approve', String(proposed.structuredContent?.approvalRef)], { dataDir });
      expect(approve.code).toBe(0);
      expect(approve.stdout).toContain(`fleet launched from ${root}`);
      const status = await callTool(client, 'dag_status', { fleet: 'mcp-fleet' });
      expect(status.isError).toBeFalsy();
      expect(status.structuredContent).toMatchObject({ fleet: { summary: { name: 'mcp-fleet', root } } });
    });
  });
});
