import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Login } from '../../../shared/accounts';
import { startFakeCodexIssuer, type FakeCodexIssuer } from '../../test-support/fake-codex-issuer';
import { FAKE_CODEX_MODEL, FAKE_FILE_NAME, FAKE_FILE_TEXT, fileCreatingScript, startFakeModelApi, type FakeModelApi } from '../../test-support/fake-model-api';
import { ensureCodexCli, ensureProviderCli, PROVIDER_CLI_INSTALL_TIMEOUT_MS } from '../../test-support/provider-cli-cache';
import { claudeEnvForFakeApi, codexEnvForFakeApi, codexHomeForFakeApi, FAKE_MODEL_API_KEY } from '../../test-support/provider-config';
import { makeTempRepo } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { watchDescendantCmdlines } from '../../test-support/worker-cmdlines';

let claudeCli: string;
let codexCli: string;
let api: FakeModelApi | undefined;
let issuer: FakeCodexIssuer | undefined;
let harness: TestCore | undefined;

beforeAll(async () => {
  [claudeCli, codexCli] = await Promise.all([ensureProviderCli('claude'), ensureCodexCli()]);
}, PROVIDER_CLI_INSTALL_TIMEOUT_MS);

afterEach(async () => {
  await harness?.core.close();
  await api?.close();
  await issuer?.close();
  harness = api = issuer = undefined;
});

/** Every string anywhere in a request body: a prompt is one whole text item of a model request. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Prompts that start like flags: a CLI that parsed them would take them for options. */
const FIRST_PROMPT = '--help me fix this: first-turn-marker-51c2';
const FOLLOW_UP_PROMPT = '--version is wrong, fix it: follow-up-marker-9d07';

/**
 * Runs a first turn and a follow-up with flag-like prompts while watching /proc, and checks that the
 * fake model API received each prompt exactly (so it went in on stdin) and no worker command line held it.
 */
async function promptsOnStdin(h: TestCore, workerKind: 'claude' | 'codex', cli: string): Promise<void> {
  const watch = watchDescendantCmdlines();
  // Given as `--model=<name>`, which both CLIs take.
  const model = workerKind === 'claude' ? 'claude-sonnet-4-5' : FAKE_CODEX_MODEL;
  const card = await h.invoke('tasks.create', { title: 'Stdin', repoPath: makeTempRepo(), prompt: FIRST_PROMPT, verifyCommand: 'true', workerKind, model });
  const first = await h.closedCard(card.assignmentId, 90_000);
  expect(first.closeout.blockers).toEqual([]);
  await h.invoke('assignments.followUp', { assignmentId: card.assignmentId, prompt: FOLLOW_UP_PROMPT });
  const followed = await h.connection.waitFor(() => {
    const latest = h.connection.latestCard(card.assignmentId);
    return latest?.status === 'closed' && latest.followUps === 1 ? latest : undefined;
  }, 90_000);
  const cmdlines = watch.stop();
  expect(followed.closeout.blockers).toEqual([]);
  // The follow-up resumed the first turn's session rather than starting a new one.
  expect(followed.sessionRef).toBe(first.sessionRef);

  const models = api!.requests.map((request) => (request.body as { model?: string } | undefined)?.model).filter(Boolean);
  expect(new Set(models)).toEqual(new Set([model]));
  const received = api!.requests.flatMap((request) => stringsIn(request.body));
  expect(received).toContain(FIRST_PROMPT);
  expect(received).toContain(FOLLOW_UP_PROMPT);
  const workers = cmdlines.filter((line) => line.includes(cli));
  console.log(`real ${workerKind}: ${api!.requests.length} model requests, ${cmdlines.length} command lines read from /proc, ${workers.length} of the worker`);
  expect(workers.length).toBeGreaterThan(0);
  for (const line of workers) {
    expect(line.includes('first-turn-marker-51c2')).toBe(false);
    expect(line.includes('follow-up-marker-9d07')).toBe(false);
  }
}

const VERIFY = `grep -qx "${FAKE_FILE_TEXT.trim()}" ${FAKE_FILE_NAME}`;

/** A core whose Claude account is linked with the real CLI (an API key) and whose workers talk to the fake API. */
async function claudeFleet(unauthorized = false, rateLimited = false): Promise<TestCore> {
  api = await startFakeModelApi({ script: fileCreatingScript(), unauthorized, rateLimited });
  // The key comes from the linked account, as it would for the owner; the rest points at the fake API.
  const env = claudeEnvForFakeApi(api.url);
  delete env.ANTHROPIC_API_KEY;
  const h = startTestCore({ providerEnv: { claude: env } });
  harness = h;
  await h.invoke('settings.update', { claudePath: claudeCli });
  expect(await h.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: FAKE_MODEL_API_KEY })).toMatchObject({ state: 'approved' });
  return h;
}

/** A core whose Codex account is linked by the real device login, then pointed at the fake API. */
async function codexFleet(unauthorized = false, rateLimited = false): Promise<TestCore> {
  api = await startFakeModelApi({ script: fileCreatingScript(), unauthorized, rateLimited });
  issuer = await startFakeCodexIssuer();
  const h = startTestCore({ codexIssuer: issuer.url, providerEnv: { codex: codexEnvForFakeApi() } });
  harness = h;
  await h.invoke('settings.update', { codexPath: codexCli });
  const started = await h.invoke('accounts.connect', { provider: 'codex', method: 'device' });
  const waiting = await h.connection.waitFor(() =>
    h.connection.events
      .map((e) => e.payload as Login)
      .find((l) => l.loginId === started.loginId && l.state === 'waiting_for_approval'),
  );
  issuer.approve(waiting.userCode!);
  await h.connection.waitFor(() =>
    h.connection.events.some((e) => e.event === 'login.updated' && (e.payload as Login).loginId === started.loginId && (e.payload as Login).state === 'approved')
      ? true
      : undefined,
  );
  codexHomeForFakeApi(path.join(h.dataDir, 'accounts', 'codex', 'codex'), api.url);
  return h;
}

describe('the real claude CLI as a worker, no spend', () => {
  it('creates the file with a tool call, passes verify, and its token rows equal the server\'s usage exactly', async () => {
    const h = await claudeFleet();
    const card = await h.invoke('tasks.create', { title: 'Real claude', repoPath: makeTempRepo(), prompt: 'Create the file.', verifyCommand: VERIFY, workerKind: 'claude' });
    const closed = await h.closedCard(card.assignmentId, 90_000);
    expect(closed.closeout.checks.filter((c) => !c.ok)).toEqual([]);
    expect(readFileSync(path.join(closed.repo.worktreePath, FAKE_FILE_NAME), 'utf8')).toBe(FAKE_FILE_TEXT);
    const detail = await h.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.tokenRows).toHaveLength(1);
    expect(detail.tokenRows[0]).toMatchObject({ ...api!.expectedRow('claude'), provider: 'anthropic', usageTruth: 'exact' });
    expect(detail.reconciliation.match).toBe(true);
    expect(detail.verify).toMatchObject({ passed: true });
  });

  it('reads a flag-like prompt on stdin, first turn and follow-up: the API gets it exactly, argv never holds it', async () => {
    await promptsOnStdin(await claudeFleet(), 'claude', claudeCli);
  });

  it('a 401 from the API ends in a failed closeout named credentials_invalid, quickly', async () => {
    const h = await claudeFleet(true);
    const card = await h.invoke('tasks.create', { title: 'Revoked', repoPath: makeTempRepo(), prompt: 'Create the file.', verifyCommand: 'true', workerKind: 'claude' });
    const closed = await h.closedCard(card.assignmentId, 90_000);
    expect(closed.state).toBe('failed');
    expect(closed.closeout.blockers).toContain('credentials_invalid');
  });

  it('a 429 from the API ends as rate_limited and cools the account', async () => {
    const h = await claudeFleet(false, true);
    const card = await h.invoke('tasks.create', { title: 'Limited', repoPath: makeTempRepo(), prompt: 'Create the file.', verifyCommand: 'true', workerKind: 'claude' });
    const closed = await h.closedCard(card.assignmentId, 90_000);
    expect(closed.closeout.blockers).toContain('rate_limited');
    const [account] = await h.invoke('accounts.list', {});
    expect(Date.parse(account!.cooldownUntil!)).toBeGreaterThan(Date.now());
  });
});

describe('the real codex CLI as a worker, no spend', () => {
  it('creates the file with a tool call, passes verify, and its token rows equal the server\'s usage exactly', async () => {
    const h = await codexFleet();
    const card = await h.invoke('tasks.create', { title: 'Real codex', repoPath: makeTempRepo(), prompt: 'Create the file.', verifyCommand: VERIFY, workerKind: 'codex' });
    const closed = await h.closedCard(card.assignmentId, 90_000);
    expect(closed.closeout.checks.filter((c) => !c.ok)).toEqual([]);
    expect(readFileSync(path.join(closed.repo.worktreePath, FAKE_FILE_NAME), 'utf8')).toBe(FAKE_FILE_TEXT);
    const detail = await h.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.tokenRows).toHaveLength(1);
    expect(detail.tokenRows[0]).toMatchObject({ ...api!.expectedRow('codex'), provider: 'openai', usageTruth: 'exact' });
    expect(detail.reconciliation.match).toBe(true);
  });

  it('reads a flag-like prompt on stdin, first turn and follow-up: the API gets it exactly, argv never holds it', async () => {
    await promptsOnStdin(await codexFleet(), 'codex', codexCli);
  });

  it('a 401 from the API ends in a failed closeout named credentials_invalid', async () => {
    const h = await codexFleet(true);
    const card = await h.invoke('tasks.create', { title: 'Revoked', repoPath: makeTempRepo(), prompt: 'Create the file.', verifyCommand: 'true', workerKind: 'codex' });
    const closed = await h.closedCard(card.assignmentId, 90_000);
    expect(closed.state).toBe('failed');
    expect(closed.closeout.blockers).toContain('credentials_invalid');
  });

  it('a 429 from the API ends as rate_limited and cools the account (Codex names no reset, so it backs off)', async () => {
    const h = await codexFleet(false, true);
    const card = await h.invoke('tasks.create', { title: 'Limited', repoPath: makeTempRepo(), prompt: 'Create the file.', verifyCommand: 'true', workerKind: 'codex' });
    const closed = await h.closedCard(card.assignmentId, 90_000);
    expect(closed.closeout.blockers).toContain('rate_limited');
    const [account] = await h.invoke('accounts.list', {});
    expect(Date.parse(account!.cooldownUntil!)).toBeGreaterThan(Date.now());
  });
});
