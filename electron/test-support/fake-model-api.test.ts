import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseClaudeLine } from '../core/workers/claude-stream';
import { parseCodexLine } from '../core/workers/codex-stream';
import type { WorkerEvent } from '../core/workers/worker-events';
import {
  FAKE_CODEX_MODEL,
  FAKE_FILE_NAME,
  FAKE_FILE_TEXT,
  fileCreatingScript,
  startFakeModelApi,
  type FakeModelApi,
  type FakeModelOptions,
  type FakeUsageTotals,
} from './fake-model-api';
import { ensureProviderCli, PROVIDER_CLI_INSTALL_TIMEOUT_MS } from './provider-cli-cache';
import { FAKE_MODEL_API_KEY, claudeEnvForFakeApi, codexEnvForFakeApi, codexHomeForFakeApi } from './provider-config';
import { makeTempRepo, tempDir } from './temp-repo';

/** One run takes 1-3 s against the local fake; leave room on slow machines, well under Vitest's 60 s. */
const CLI_TEST_TIMEOUT_MS = 30_000;
/** A run still going after this is stuck (a retry loop, a prompt): kill it so the test fails with its output. */
const CLI_RUN_LIMIT_MS = 25_000;
/** `KHALA_RECORD_STREAMS=1` saves each real run's stdout here, as fixtures for the stream parsers' tests. */
const RECORDED_DIR = path.resolve(import.meta.dirname, '..', 'core', 'workers', 'recorded');
const RECORD = process.env.KHALA_RECORD_STREAMS === '1';
const PROMPT = `Create ${FAKE_FILE_NAME} in the current directory, then say what you did.`;

interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout's JSON lines. */
  events: Record<string, unknown>[];
}

let claude: string;
let codex: string;
let api: FakeModelApi | undefined;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  [claude, codex] = await Promise.all([ensureProviderCli('claude'), ensureProviderCli('codex')]);
}, PROVIDER_CLI_INSTALL_TIMEOUT_MS);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await api?.close();
  api = undefined;
});

async function startApi(options: Partial<FakeModelOptions> = {}): Promise<FakeModelApi> {
  api = await startFakeModelApi({ script: fileCreatingScript(), ...options });
  return api;
}

function scratch(make: () => string): string {
  const dir = make();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a CLI with ONLY the environment given (plus PATH, for `#!/usr/bin/env node`), the way a worker is started. */
function runCli(bin: string, args: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  const child = spawn(bin, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const limit = setTimeout(() => child.kill('SIGKILL'), CLI_RUN_LIMIT_MS);
  cleanups.push(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => {
      clearTimeout(limit);
      const events = stdout
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ exitCode, stdout, stderr, events });
    });
  });
}

/** An isolated config home that is also HOME, so nothing reaches the owner's real one. */
function claudeRun(fake: FakeModelApi, extraArgs: string[] = []): { repo: string; run: Promise<CliRun> } {
  const repo = scratch(() => makeTempRepo());
  const home = scratch(() => tempDir('khala-claude-home-'));
  const args = ['-p', PROMPT, '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', ...extraArgs];
  const env = { HOME: home, CLAUDE_CONFIG_DIR: home, ...claudeEnvForFakeApi(fake.url) };
  return { repo, run: runCli(claude, args, repo, env) };
}

function codexRun(fake: FakeModelApi): { repo: string; run: Promise<CliRun> } {
  const repo = scratch(() => makeTempRepo());
  const home = scratch(() => tempDir('khala-codex-home-'));
  codexHomeForFakeApi(home, fake.url);
  const args = ['exec', '--json', '-s', 'workspace-write', '--skip-git-repo-check', '-m', FAKE_CODEX_MODEL, PROMPT];
  const env = { HOME: home, CODEX_HOME: home, ...codexEnvForFakeApi() };
  return { repo, run: runCli(codex, args, repo, env) };
}

function record(name: string, run: CliRun): void {
  // The key is a dummy, but a recording must never carry one.
  expect(run.stdout).not.toContain(FAKE_MODEL_API_KEY);
  if (!RECORD) return;
  mkdirSync(RECORDED_DIR, { recursive: true });
  writeFileSync(path.join(RECORDED_DIR, name), run.stdout);
}

function only(events: Record<string, unknown>[], type: string): Record<string, unknown> {
  const matching = events.filter((event) => event.type === type);
  expect(matching, `exactly one ${type} line`).toHaveLength(1);
  return matching[0] as Record<string, unknown>;
}

/** The token row the app's own stream parser derives from the run: its turn_completed usage and total. */
function parsedRow(run: CliRun, parse: (line: string) => WorkerEvent[]): FakeUsageTotals {
  const completed = run.stdout
    .split('\n')
    .flatMap(parse)
    .filter((event): event is Extract<WorkerEvent, { type: 'turn_completed' }> => event.type === 'turn_completed');
  expect(completed).toHaveLength(1);
  const [turn] = completed;
  return turn ? { ...turn.usage, total: turn.reportedTotal } : { input: NaN, output: NaN, reasoning: NaN, cacheRead: NaN, cacheWrite: NaN, total: NaN };
}

function calls(fake: FakeModelApi): string[] {
  return fake.requests.map((request) => `${request.method} ${request.path}`);
}

/** Claude's `result.usage` in the token row's columns (Anthropic's counts are disjoint). */
function claudeTotals(usage: Record<string, number>): FakeUsageTotals {
  const input = usage.input_tokens ?? NaN;
  const output = usage.output_tokens ?? NaN;
  const cacheRead = usage.cache_read_input_tokens ?? NaN;
  const cacheWrite = usage.cache_creation_input_tokens ?? NaN;
  return { input, output, reasoning: 0, cacheRead, cacheWrite, total: input + output + cacheRead + cacheWrite };
}

/** Codex's `turn.completed.usage` in the token row's columns (cached ⊂ input, reasoning ⊂ output). */
function codexTotals(usage: Record<string, number>): FakeUsageTotals {
  const input = usage.input_tokens ?? NaN;
  const output = usage.output_tokens ?? NaN;
  return {
    input,
    output,
    reasoning: usage.reasoning_output_tokens ?? NaN,
    cacheRead: usage.cached_input_tokens ?? NaN,
    cacheWrite: usage.cache_write_input_tokens ?? NaN,
    total: input + output,
  };
}

describe('the real claude CLI against the fake model API', () => {
  it('runs the Bash tool call, then reports the summed usage of both responses', async () => {
    const fake = await startApi();
    const { repo, run: running } = claudeRun(fake, ['--allowedTools', 'Bash(printf *)']);
    const run = await running;

    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(path.join(repo, FAKE_FILE_NAME), 'utf8')).toBe(FAKE_FILE_TEXT);
    const toolUse = run.events
      .filter((event) => event.type === 'assistant')
      .flatMap((event) => (event.message as { content: { type: string; name?: string; input?: unknown }[] }).content)
      .find((block) => block.type === 'tool_use');
    expect(toolUse).toMatchObject({ name: 'Bash', input: { command: `printf 'made by the fake model\\n' > ${FAKE_FILE_NAME}` } });
    const result = only(run.events, 'result');
    expect(result).toMatchObject({ subtype: 'success', is_error: false, result: `Done: created ${FAKE_FILE_NAME}`, num_turns: 2, permission_denials: [] });
    expect(claudeTotals(result.usage as Record<string, number>)).toEqual(fake.expectedTotals('claude'));
    expect(parsedRow(run, parseClaudeLine)).toEqual(fake.expectedRow('claude'));
    // With non-essential traffic off, the turn's two model calls are all Claude Code sends.
    expect(calls(fake)).toEqual(['POST /v1/messages', 'POST /v1/messages']);
    record('claude-success.jsonl', run);
  }, CLI_TEST_TIMEOUT_MS);

  it('writes the file with the Write tool when Bash is disallowed', async () => {
    const fake = await startApi();
    const { repo, run: running } = claudeRun(fake, ['--disallowedTools', 'Bash']);
    const run = await running;

    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(path.join(repo, FAKE_FILE_NAME), 'utf8')).toBe(FAKE_FILE_TEXT);
    const result = only(run.events, 'result');
    expect(result).toMatchObject({ is_error: false, permission_denials: [] });
    expect(claudeTotals(result.usage as Record<string, number>)).toEqual(fake.expectedTotals('claude'));
  }, CLI_TEST_TIMEOUT_MS);

  it('fails after one request on a 401, with is_error but subtype "success"', async () => {
    const fake = await startApi({ unauthorized: true });
    const { repo, run: running } = claudeRun(fake, ['--allowedTools', 'Bash(printf *)']);
    const run = await running;

    expect(run.exitCode).toBe(1);
    expect(existsSync(path.join(repo, FAKE_FILE_NAME))).toBe(false);
    const result = only(run.events, 'result');
    expect(result).toMatchObject({
      subtype: 'success',
      is_error: true,
      api_error_status: 401,
      api_error_type: 'authentication_error',
      terminal_reason: 'api_error',
      result: 'Invalid API key · Fix external API key',
    });
    expect(claudeTotals(result.usage as Record<string, number>).total).toBe(0);
    expect(calls(fake)).toEqual(['POST /v1/messages']);
    record('claude-401.jsonl', run);
  }, CLI_TEST_TIMEOUT_MS);
});

describe('the real codex CLI against the fake model API', () => {
  it('runs the exec_command call, then reports the summed usage of both responses', async () => {
    const fake = await startApi();
    const { repo, run: running } = codexRun(fake);
    const run = await running;

    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(path.join(repo, FAKE_FILE_NAME), 'utf8')).toBe(FAKE_FILE_TEXT);
    const commands = run.events.filter((event) => event.type === 'item.completed').map((event) => event.item as Record<string, unknown>);
    expect(commands[0]).toMatchObject({
      type: 'command_execution',
      command: `/bin/bash -lc "printf 'made by the fake model\\\\n' > ${FAKE_FILE_NAME}"`,
      exit_code: 0,
      status: 'completed',
    });
    expect(commands[1]).toMatchObject({ type: 'agent_message', text: `Done: created ${FAKE_FILE_NAME}` });
    const usage = only(run.events, 'turn.completed').usage as Record<string, number>;
    expect(Object.keys(usage).sort()).toEqual(
      ['cache_write_input_tokens', 'cached_input_tokens', 'input_tokens', 'output_tokens', 'reasoning_output_tokens'].sort(),
    );
    expect(codexTotals(usage)).toEqual(fake.expectedTotals('codex'));
    expect(parsedRow(run, parseCodexLine)).toEqual(fake.expectedRow('codex'));
    // With an env_key provider and no ChatGPT login, the turn's two model calls are all Codex sends.
    expect(calls(fake)).toEqual(['POST /v1/responses', 'POST /v1/responses']);
    record('codex-success.jsonl', run);
  }, CLI_TEST_TIMEOUT_MS);

  it('fails the turn after one request on a 401 when retries are off', async () => {
    const fake = await startApi({ unauthorized: true });
    const { repo, run: running } = codexRun(fake);
    const run = await running;

    expect(run.exitCode).toBe(1);
    expect(existsSync(path.join(repo, FAKE_FILE_NAME))).toBe(false);
    const message =
      'unexpected status 401 Unauthorized: Incorrect API key provided. You can find your API key at ' +
      `https://platform.openai.com/account/api-keys., url: ${fake.url}/v1/responses`;
    expect(only(run.events, 'turn.failed')).toEqual({ type: 'turn.failed', error: { message } });
    expect(only(run.events, 'error')).toEqual({ type: 'error', message });
    expect(run.events.some((event) => event.type === 'turn.completed')).toBe(false);
    expect(calls(fake)).toEqual(['POST /v1/responses']);
    record('codex-401.jsonl', run);
  }, CLI_TEST_TIMEOUT_MS);
});

describe('the fake model API on its own', () => {
  it('answers by the tool results in the body, so a repeated request gets the same answer', async () => {
    const fake = await startApi();
    const post = async (input: unknown[]) => {
      const response = await fetch(`${fake.url}/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: FAKE_CODEX_MODEL, stream: true, input }),
      });
      return response.text();
    };
    const user = { type: 'message', role: 'user', content: [{ type: 'input_text', text: PROMPT }] };
    const first = await post([user]);
    expect(await post([user])).toContain('"type":"function_call"');
    expect(first).toContain('"type":"function_call"');
    const afterTool = await post([user, { type: 'function_call_output', call_id: 'call_1', output: '' }]);
    expect(afterTool).toContain(`"delta":"Done: created ${FAKE_FILE_NAME}"`);
    expect(afterTool).toContain('"total_tokens":1340');
  });

  it('serves the model list in both Codex’s and OpenAI’s shapes', async () => {
    const fake = await startApi();
    const list = (await (await fetch(`${fake.url}/v1/models?client_version=0.169.0`)).json()) as { models: unknown[]; data: { id: string }[] };
    expect(list.models).toEqual([]);
    expect(list.data.map((model) => model.id)).toContain(FAKE_CODEX_MODEL);
  });
});
