import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Login } from '../../../shared/accounts';
import { startFakeCodexIssuer, type FakeCodexIssuer } from '../../test-support/fake-codex-issuer';
import { ensureCodexCli, PROVIDER_CLI_INSTALL_TIMEOUT_MS } from '../../test-support/provider-cli-cache';
import { startTestCore, type TestCore } from '../../test-support/test-core';

let codex: string;
let issuer: FakeCodexIssuer | undefined;
let harness: TestCore | undefined;

beforeAll(async () => {
  codex = await ensureCodexCli();
}, PROVIDER_CLI_INSTALL_TIMEOUT_MS);

afterEach(async () => {
  await harness?.core.close();
  await issuer?.close();
  harness = undefined;
  issuer = undefined;
});

function loginWhere(h: TestCore, loginId: string, test: (login: Login) => boolean): Promise<Login> {
  return h.connection.waitFor(() =>
    h.connection.events
      .filter((e) => e.event === 'login.updated')
      .map((e) => e.payload as Login)
      .find((login) => login.loginId === loginId && test(login)),
  );
}

describe('the real codex CLI, device login against a local issuer', () => {
  it('links an account: the code shown in the dialog is approved, and auth.json lands in the isolated home', async () => {
    issuer = await startFakeCodexIssuer({ email: 'fleet-owner@example.com' });
    harness = startTestCore({ codexIssuer: issuer.url });
    await harness.invoke('settings.update', { codexPath: codex });
    const [provider] = (await harness.invoke('providers.list', {})).filter((p) => p.provider === 'codex');
    expect(provider).toMatchObject({ found: true, version: '0.169.0', path: codex });

    const started = await harness.invoke('accounts.connect', { provider: 'codex', method: 'device' });
    const waiting = await loginWhere(harness, started.loginId, (l) => l.state === 'waiting_for_approval');
    expect(waiting.verificationUrl).toBe(`${issuer.url}/codex/device`);
    expect(issuer.pendingCodes()).toEqual([waiting.userCode]);
    expect(Date.parse(waiting.expiresAt!)).toBeGreaterThan(Date.now() + 14 * 60 * 1000);

    issuer.approve(waiting.userCode!);
    const ended = await loginWhere(harness, started.loginId, (l) => l.endedAt !== null);
    expect(ended).toMatchObject({ state: 'approved', reason: null });

    const home = path.join(harness.dataDir, 'accounts', 'codex', 'codex');
    expect(existsSync(path.join(home, 'auth.json'))).toBe(true);
    const [account] = await harness.invoke('accounts.list', {});
    expect(account).toMatchObject({ ref: 'codex', readiness: 'ready', readinessDetail: 'Logged in using ChatGPT', identity: 'fleet-owner@example.com' });
    expect(JSON.parse(readFileSync(path.join(home, 'auth.json'), 'utf8'))).toMatchObject({ tokens: { id_token: expect.any(String) } });
  });

  it('a denied code ends the login with the CLI\'s reason and no account', async () => {
    issuer = await startFakeCodexIssuer();
    harness = startTestCore({ codexIssuer: issuer.url });
    await harness.invoke('settings.update', { codexPath: codex });
    const started = await harness.invoke('accounts.connect', { provider: 'codex', method: 'device' });
    const waiting = await loginWhere(harness, started.loginId, (l) => l.state === 'waiting_for_approval');
    issuer.deny(waiting.userCode!);
    const ended = await loginWhere(harness, started.loginId, (l) => l.endedAt !== null);
    expect(ended).toMatchObject({ state: 'failed', reason: 'Error logging in: device auth failed with status 400 Bad Request' });
    expect(existsSync(path.join(harness.dataDir, 'accounts', 'codex', 'codex'))).toBe(false);
    expect(await harness.invoke('accounts.list', {})).toEqual([]);
  });

  it('a code that expires at the issuer ends the login as expired', async () => {
    issuer = await startFakeCodexIssuer();
    harness = startTestCore({ codexIssuer: issuer.url });
    await harness.invoke('settings.update', { codexPath: codex });
    const started = await harness.invoke('accounts.connect', { provider: 'codex', method: 'device' });
    const waiting = await loginWhere(harness, started.loginId, (l) => l.state === 'waiting_for_approval');
    issuer.expire(waiting.userCode!);
    const ended = await loginWhere(harness, started.loginId, (l) => l.endedAt !== null);
    expect(ended).toMatchObject({ state: 'expired', reason: 'Error logging in: device auth failed with status 410 Gone' });
    expect(await harness.invoke('accounts.list', {})).toEqual([]);
  });
});
