import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/contract';
import type { Login } from '../../../shared/accounts';
import { makeFakeCli, type FakeCli } from '../../test-support/fake-cli';
import { startTestCore, type TestCore } from '../../test-support/test-core';

let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

/** A test core whose settings point at fake CLIs, with short login timeouts. */
async function coreWith(clis: { claude?: FakeCli; codex?: FakeCli }): Promise<TestCore> {
  harness = startTestCore({ loginTimeouts: { promptMs: 1_500, expiryGraceMs: 500 } });
  await harness.invoke('settings.update', { claudePath: clis.claude?.path ?? '/nonexistent/claude', codexPath: clis.codex?.path ?? '/nonexistent/codex' });
  return harness;
}

function loginEnded(h: TestCore, loginId: string): Promise<Login> {
  return h.connection.waitFor(() => {
    const updates = h.connection.events.filter((e) => e.event === 'login.updated').map((e) => e.payload as EventPayload<'login.updated'>);
    return updates.filter((l) => l.loginId === loginId).find((l) => l.endedAt !== null);
  });
}

function loginIn(h: TestCore, loginId: string, state: Login['state']): Promise<Login> {
  return h.connection.waitFor(() =>
    h.connection.events
      .filter((e) => e.event === 'login.updated')
      .map((e) => e.payload as Login)
      .find((l) => l.loginId === loginId && l.state === state),
  );
}

describe('providers', () => {
  it('reports a missing CLI with its install command, and a found one with its version', async () => {
    const h = await coreWith({ claude: makeFakeCli('claude') });
    const list = await h.invoke('providers.list', {});
    expect(list.find((p) => p.provider === 'claude')).toMatchObject({ found: true, version: '2.1.330' });
    expect(list.find((p) => p.provider === 'codex')).toMatchObject({
      found: false,
      installCommand: 'npm install -g @openai/codex',
      problem: expect.stringContaining('/nonexistent/codex'),
    });
    // A program that answers --version without a version is not the CLI, whatever its exit.
    await h.invoke('settings.update', { codexPath: '/bin/true' });
    expect((await h.invoke('providers.list', {})).find((p) => p.provider === 'codex')).toMatchObject({
      found: false,
      version: null,
      problem: expect.stringMatching(/^\/bin\/true --version printed .*: it is not the codex CLI$/),
    });
    await h.invoke('settings.update', { codexPath: '/nonexistent/codex' });
    const refused = await h.invokeRaw('accounts.connect', { provider: 'codex', method: 'device' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'cli_missing', message: expect.stringContaining('npm install -g @openai/codex') } });
    expect(await h.invoke('accounts.list', {})).toEqual([]);
  });
});

describe('Claude browser login with a pasted code', () => {
  it('links an account in its own isolated home, never the owner\'s', async () => {
    const claude = makeFakeCli('claude', { acceptCode: 'good-code', email: 'owner@example.com' });
    const h = await coreWith({ claude });
    const started = await h.invoke('accounts.connect', { provider: 'claude', method: 'browser' });
    expect(started).toMatchObject({ ref: 'claude', state: 'starting', reconnect: false });
    const waiting = await loginIn(h, started.loginId, 'waiting_for_code');
    expect(waiting.verificationUrl).toMatch(/^https:\/\/claude\.ai\/oauth\/authorize\?code=true/);
    expect(waiting.outputTail.join('\n')).not.toContain('\x1b');
    await h.invoke('logins.submitCode', { loginId: started.loginId, code: 'good-code' });
    const ended = await loginEnded(h, started.loginId);
    expect(ended.state).toBe('approved');

    const [account] = await h.invoke('accounts.list', {});
    const home = path.join(h.dataDir, 'accounts', 'claude', 'claude');
    expect(account).toMatchObject({ ref: 'claude', provider: 'claude', readiness: 'ready', identity: 'owner@example.com', homeDir: home, slots: 1, paused: false, authMethod: 'browser' });
    expect(existsSync(path.join(home, '.credentials.json'))).toBe(true);
    for (const call of claude.calls()) {
      expect(call.CLAUDE_CONFIG_DIR).toBe(call.args[0] === '--version' ? path.join(h.dataDir, 'accounts', '.probe', 'claude') : home);
      expect(call.HOME).toBe(call.CLAUDE_CONFIG_DIR);
    }
  });

  it('a refused code fails with the CLI\'s own reason and leaves no account behind', async () => {
    const h = await coreWith({ claude: makeFakeCli('claude', { acceptCode: 'good-code' }) });
    const started = await h.invoke('accounts.connect', { provider: 'claude', method: 'browser' });
    await loginIn(h, started.loginId, 'waiting_for_code');
    await h.invoke('logins.submitCode', { loginId: started.loginId, code: 'stolen-code' });
    const ended = await loginEnded(h, started.loginId);
    expect(ended).toMatchObject({ state: 'failed', reason: 'OAuth error: Invalid code. The request was denied.' });
    expect(await h.invoke('accounts.list', {})).toEqual([]);
    expect(existsSync(path.join(h.dataDir, 'accounts', 'claude', 'claude'))).toBe(false);
  });

  it('an expired login says so', async () => {
    const h = await coreWith({ claude: makeFakeCli('claude', { login: 'expire', expireAfterMs: 300 }) });
    const started = await h.invoke('accounts.connect', { provider: 'claude', method: 'browser' });
    const ended = await loginEnded(h, started.loginId);
    expect(ended.state).toBe('expired');
    expect(ended.reason).toContain('expired');
  });

  it('a crashing CLI fails with the last lines of its output', async () => {
    const h = await coreWith({ claude: makeFakeCli('claude', { login: 'crash' }) });
    const started = await h.invoke('accounts.connect', { provider: 'claude', method: 'browser' });
    const ended = await loginEnded(h, started.loginId);
    expect(ended.state).toBe('failed');
    expect(ended.outputTail.at(-1)).toContain('Aborted (core dumped)');
    expect(await h.invoke('accounts.list', {})).toEqual([]);
  });
});

describe('Claude linked with a token or an API key', () => {
  it('keeps the token in an owner-only file, never in SQLite, and probes with it', async () => {
    const token = 'sk-ant-oat01-fake-long-lived-token-0123456789';
    const h = await coreWith({ claude: makeFakeCli('claude', { validToken: token, email: 'ci@example.com' }) });
    const login = await h.invoke('accounts.connect', { provider: 'claude', method: 'token', secret: token });
    expect(login).toMatchObject({ state: 'approved', ref: 'claude' });
    const secrets = path.join(h.dataDir, 'secrets.json');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(readFileSync(secrets, 'utf8')).not.toContain(token);
    for (const file of ['fleet.sqlite', 'fleet.sqlite-wal']) {
      const store = path.join(h.dataDir, file);
      if (existsSync(store)) expect(readFileSync(store).includes(token)).toBe(false);
    }
    const [account] = await h.invoke('accounts.refresh', {});
    expect(account).toMatchObject({ readiness: 'ready', authMethod: 'token', identity: 'ci@example.com' });
  });

  it('a key the CLI rejects fails and leaves nothing behind', async () => {
    const h = await coreWith({ claude: makeFakeCli('claude', { validApiKey: 'right' }) });
    const login = await h.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: 'wrong' });
    expect(login).toMatchObject({ state: 'failed', reason: 'Not logged in' });
    expect(await h.invoke('accounts.list', {})).toEqual([]);
    expect(existsSync(path.join(h.dataDir, 'secrets.json'))).toBe(false);
  });
});

describe('a key linked before the CLI is installed', () => {
  it('is kept with readiness cli_missing, and checked by the first refresh once the CLI is there', async () => {
    const h = await coreWith({});
    const login = await h.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: 'k' });
    expect(login).toMatchObject({ state: 'approved', ref: 'claude' });
    const [account] = await h.invoke('accounts.list', {});
    expect(account).toMatchObject({ ref: 'claude', authMethod: 'api_key', readiness: 'cli_missing', readinessDetail: expect.stringContaining('npm install') });
    // A browser login still needs the CLI.
    expect(await h.invokeRaw('accounts.connect', { provider: 'claude', method: 'browser' })).toMatchObject({ ok: false, error: { code: 'cli_missing' } });

    await h.invoke('settings.update', { claudePath: makeFakeCli('claude', { validApiKey: 'k' }).path });
    const [checked] = await h.invoke('accounts.refresh', {});
    expect(checked).toMatchObject({ ref: 'claude', readiness: 'ready' });
  });
});

describe('refs', () => {
  it('assigns refs in order, honours a named one, and refuses default, escapes and duplicates', async () => {
    const h = await coreWith({ claude: makeFakeCli('claude', { validApiKey: 'k' }) });
    const link = (ref?: string) => h.invokeRaw('accounts.connect', { provider: 'claude', method: 'api_key', secret: 'k', ...(ref ? { ref } : {}) });
    expect(await link()).toMatchObject({ ok: true, value: { ref: 'claude', state: 'approved' } });
    expect(await link()).toMatchObject({ ok: true, value: { ref: 'claude-2' } });
    expect(await link('work')).toMatchObject({ ok: true, value: { ref: 'work' } });
    expect(await link('default')).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('reserved') } });
    expect(await link('../escape')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await link('work')).toMatchObject({ ok: false, error: { code: 'account_exists' } });
    expect((await h.invoke('accounts.list', {})).map((a) => a.ref)).toEqual(['claude', 'claude-2', 'work']);
  });
});

describe('Codex device login failures', () => {
  it('a CLI that crashes mid-login fails with its last lines, and nothing else changes', async () => {
    const h = await coreWith({ codex: makeFakeCli('codex', { login: 'crash', crashAfterMs: 300 }) });
    const started = await h.invoke('accounts.connect', { provider: 'codex', method: 'device' });
    const waiting = await loginIn(h, started.loginId, 'waiting_for_approval');
    expect(waiting).toMatchObject({ verificationUrl: 'https://auth.openai.com/codex/device', userCode: 'WXYZ-12345' });
    expect(Date.parse(waiting.expiresAt!) - Date.now()).toBeGreaterThan(14 * 60 * 1000);
    const ended = await loginEnded(h, started.loginId);
    expect(ended).toMatchObject({ state: 'failed', reason: 'connection reset by peer' });
    expect(ended.outputTail).toContain("thread 'main' panicked at login/src/device_code_auth.rs:212:9:");
    expect(existsSync(path.join(h.dataDir, 'accounts', 'codex', 'codex'))).toBe(false);
  });

  it('a key the CLI prints in its failure is masked in the reason, the output tail and every login update', async () => {
    const key = 'sk-proj-4fR9kL2mQ7vX1zB8nC3dT6wY0pH5jS-aGu1iO3eR6tQ8wE2rT4yU6iO8pA1sD3fG5hJ7kL9zXT3BlbkFJ';
    const h = await coreWith({ codex: makeFakeCli('codex', { login: 'crash', crashAfterMs: 50, crashReason: `refused key ${key}` }) });
    const started = await h.invoke('accounts.connect', { provider: 'codex', method: 'device' });
    const ended = await loginEnded(h, started.loginId);
    expect(ended).toMatchObject({ state: 'failed', reason: 'refused key sk-proj-…[masked]' });
    expect(ended.outputTail).toContain('refused key sk-proj-…[masked]');
    const shown = JSON.stringify([h.connection.events, await h.invoke('logins.get', { loginId: started.loginId })]);
    expect(shown).not.toContain(key);
  });

  it('a CLI that hangs past the prompt timeout is stopped with cli_timeout', async () => {
    const h = await coreWith({ codex: makeFakeCli('codex', { login: 'hang' }) });
    const started = await h.invoke('accounts.connect', { provider: 'codex', method: 'device' });
    const ended = await loginEnded(h, started.loginId);
    expect(ended.state).toBe('failed');
    expect(ended.reason).toMatch(/^cli_timeout: /);
  });

  it('unexpected output that ends without a login is a failure, not an account', async () => {
    const h = await coreWith({ codex: makeFakeCli('codex', { login: 'garbage' }) });
    const started = await h.invoke('accounts.connect', { provider: 'codex', method: 'device' });
    const ended = await loginEnded(h, started.loginId);
    expect(ended).toMatchObject({ state: 'failed', reason: expect.stringContaining('not ready: Not logged in') });
    expect(await h.invoke('accounts.list', {})).toEqual([]);
  });

  it('cancel ends the login process and leaves no half-made account', async () => {
    const codex = makeFakeCli('codex', { login: 'wait' });
    const h = await coreWith({ codex });
    const started = await h.invoke('accounts.connect', { provider: 'codex', method: 'device' });
    await loginIn(h, started.loginId, 'waiting_for_approval');
    expect(existsSync(path.join(h.dataDir, 'accounts', 'codex', 'codex', 'config.toml'))).toBe(true);
    const cancelled = await h.invoke('logins.cancel', { loginId: started.loginId });
    expect(cancelled.state).toBe('cancelled');
    expect(existsSync(path.join(h.dataDir, 'accounts', 'codex', 'codex'))).toBe(false);
    expect(await h.invoke('accounts.list', {})).toEqual([]);
    expect(await h.invokeRaw('logins.submitCode', { loginId: started.loginId, code: 'x' })).toMatchObject({ ok: false, error: { code: 'login_not_active' } });
  });
});

describe('the inventory', () => {
  it('pauses, sets slots, refreshes without logging in, reconnects into the same home, and removes', async () => {
    const codex = makeFakeCli('codex', { approveAfterMs: 100 });
    const h = await coreWith({ codex });
    const started = await h.invoke('accounts.connect', { provider: 'codex', method: 'device' });
    expect((await loginEnded(h, started.loginId)).state).toBe('approved');
    const home = path.join(h.dataDir, 'accounts', 'codex', 'codex');
    expect(readFileSync(path.join(home, 'config.toml'), 'utf8')).toBe('cli_auth_credentials_store = "file"\n');

    expect(await h.invoke('accounts.setPaused', { ref: 'codex', paused: true })).toMatchObject({ paused: true });
    expect(await h.invoke('accounts.setSlots', { ref: 'codex', slots: 3 })).toMatchObject({ slots: 3 });
    const loginsBefore = codex.calls().filter((c) => c.args.includes('--device-auth')).length;
    const [refreshed] = await h.invoke('accounts.refresh', { ref: 'codex' });
    expect(refreshed).toMatchObject({ readiness: 'ready', readinessDetail: 'Logged in using ChatGPT', paused: true, slots: 3 });
    expect(codex.calls().filter((c) => c.args.includes('--device-auth')).length).toBe(loginsBefore);

    const again = await h.invoke('accounts.reconnect', { ref: 'codex' });
    expect(again).toMatchObject({ ref: 'codex', reconnect: true });
    expect((await loginEnded(h, again.loginId)).state).toBe('approved');
    expect(codex.calls().filter((c) => c.args.includes('--device-auth')).map((c) => c.CODEX_HOME)).toEqual([home, home]);

    expect(await h.invokeRaw('accounts.remove', { ref: 'codex' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await h.invoke('accounts.remove', { ref: 'codex', confirm: true })).toEqual({ ref: 'codex' });
    expect(existsSync(home)).toBe(false);
    expect(await h.invoke('accounts.list', {})).toEqual([]);
    expect(await h.invokeRaw('accounts.setPaused', { ref: 'codex', paused: false })).toMatchObject({ ok: false, error: { code: 'account_not_found' } });
  });
});
