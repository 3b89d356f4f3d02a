import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCreatingScript, startFakeModelApi, type FakeModelApi } from '../electron/test-support/fake-model-api';
import { ensureProviderCli, PROVIDER_CLI_INSTALL_TIMEOUT_MS } from '../electron/test-support/provider-cli-cache';
import { claudeEnvForFakeApi } from '../electron/test-support/provider-config';
import { tempDir } from '../electron/test-support/temp-repo';
import { MCP_SERVER_NAME } from './mcp-server';
import { buildKhala, khalaEnv, serveHost, type ServedHost } from './test-support/khala-process';

/** Claude Code's name for an MCP server's tool. */
const STATUS_TOOL = `mcp__${MCP_SERVER_NAME}__khala_fleet_status`;
/** A whole `-p` turn (the MCP server's start, two model calls) on a loaded machine. */
const TURN_TIMEOUT_MS = 120_000;

let khala: string;
let claude: string;
let api: FakeModelApi;
let host: ServedHost;
let dataDir: string;

beforeAll(async () => {
  [khala, claude] = await Promise.all([buildKhala(), ensureProviderCli('claude')]);
  dataDir = tempDir();
  host = await serveHost(khala, dataDir);
  api = await startFakeModelApi({ script: fileCreatingScript(), mcpTool: 'khala_fleet_status' });
}, PROVIDER_CLI_INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await api?.close();
  expect(await host?.stop()).toBe(0);
});

/** Runs `claude -p` with the prompt on stdin, in a home of its own (never the owner's), and returns its stream-json lines. */
function runClaude(args: string[], cwd: string, home: string): Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }> {
  const child = spawn(claude, ['-p', '--output-format', 'stream-json', '--verbose', ...args], {
    cwd,
    // ENABLE_TOOL_SEARCH=false offers MCP tools in the request itself rather than deferred behind ToolSearch, so the fake API sees the tool by name.
    env: { PATH: process.env.PATH ?? '', HOME: home, CLAUDE_CONFIG_DIR: home, ENABLE_TOOL_SEARCH: 'false', ...claudeEnvForFakeApi(api.url) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end('Report the fleet status.');
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve) =>
    child.once('close', (code) =>
      resolve({
        code,
        stderr,
        lines: stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      }),
    ),
  );
}

describe('the real claude CLI calls khala_fleet_status through --mcp-config', () => {
  it("asks for the tool, khala mcp answers from the running host, and the tool's result reaches the model", async () => {
    const work = tempDir('khala-claude-work-');
    const home = tempDir('khala-claude-home-');
    const mcpConfig = path.join(work, 'mcp.json');
    // What README's "From an agent (MCP)" tells the owner to write, with this test's paths.
    writeFileSync(
      mcpConfig,
      JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: { command: process.execPath, args: [khala, 'mcp', '--data-dir', dataDir], env: { NODE_PATH: khalaEnv().NODE_PATH } } } }),
    );
    const { code, lines, stderr } = await runClaude(['--mcp-config', mcpConfig, '--strict-mcp-config', '--allowedTools', STATUS_TOOL], work, home);

    const init = lines.find((line) => line.type === 'system' && line.subtype === 'init') as { tools?: string[]; mcp_servers?: { name: string; status: string }[] } | undefined;
    expect(init?.mcp_servers).toContainEqual(expect.objectContaining({ name: MCP_SERVER_NAME, status: 'connected' }));
    expect(init?.tools).toContain(STATUS_TOOL);

    // The model's second request carries the tool's result: the host's inventory as khala mcp gave it.
    const modelCalls = api.requests.filter((request) => request.path === '/v1/messages');
    const withResult = modelCalls.find((request) => JSON.stringify(request.body).includes('"tool_result"'));
    expect(withResult, `no tool_result reached the model; claude said: ${stderr}`).toBeDefined();
    const resultText = JSON.stringify(withResult?.body);
    expect(resultText).toContain(`"type":"tool_use","id":`);
    expect(resultText).toContain(`"name":"${STATUS_TOOL}"`);
    expect(resultText).toContain('\\"accounts\\"');
    expect(resultText).toContain('\\"fleets\\"');
    expect(resultText).not.toContain('host_unavailable');

    const result = lines.find((line) => line.type === 'result') as { is_error?: boolean; result?: string } | undefined;
    expect(result).toMatchObject({ is_error: false, result: fileCreatingScript().finalText });
    expect(code).toBe(0);
  }, TURN_TIMEOUT_MS);
});
