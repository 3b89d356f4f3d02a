import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  providers,
  type Account,
  type Login,
  type LoginMethod,
  type Provider,
  type ProviderInfo,
  type Settings,
} from '../../../shared/accounts';
import type { ConnectAccountInput } from '../../../shared/contract';
import { FleetError } from '../../../shared/errors';
import type { ConnectionHub } from '../connection';
import { newRef, nowIso } from '../refs';
import type { AccountStore, Probe } from './account-store';
import { systemClock, whyUnavailable, type Clock } from './capacity';
import { cooldownEnd, RATE_LIMIT_BREAKER_STREAK, resetTimeIn } from './rate-limits';
import { ClaudeBrowserLogin } from './claude-browser-login';
import { outputTail, stripAnsi } from './cli-output';
import { CodexDeviceLogin } from './codex-device-login';
import { accountHome, accountsRoot, ensureHome, nextRef, removeHome } from './homes';
import { LOGIN_OUTPUT_TAIL_LINES, newLogin, shownLogin, type LoginExit, type LoginSession, type LoginTimeouts } from './login-session';
import { describeProvider, requireCli } from './provider-cli';
import { probeReadiness } from './readiness';
import type { SecretStore } from './secrets';

const SETTING_KEYS: Record<keyof Settings, string> = { codexPath: 'codex_path', claudePath: 'claude_path' };
const CLI_PATH_SETTING: Record<Provider, keyof Settings> = { codex: 'codexPath', claude: 'claudePath' };
/** What the provider CLIs read a stored secret from, per link method. */
const SECRET_VARIABLE: Partial<Record<LoginMethod, string>> = { token: 'CLAUDE_CODE_OAUTH_TOKEN', api_key: 'ANTHROPIC_API_KEY' };
/** Ended logins are kept this long so a dialog reopened a moment later can still show the outcome. */
const ENDED_LOGIN_KEEP_MS = 10 * 60 * 1000;

/** An account a worker can start on now, with what its CLI needs. */
export interface WorkerAccount {
  ref: string;
  home: string;
  env: Record<string, string>;
  cli: string;
}

interface ActiveLogin {
  session: LoginSession | null;
  login: Login;
  home: string;
}

/** Accounts: isolated homes, logins into them, readiness probes, and the inventory. */
export class AccountService {
  private readonly logins = new Map<string, ActiveLogin>();

  constructor(
    private readonly deps: {
      store: AccountStore;
      secrets: SecretStore;
      hub: ConnectionHub;
      dataDir: string;
      /** Where `codex login --device-auth` is sent instead of the real issuer (enterprise issuers, tests). */
      codexIssuer: string | null;
      loginTimeouts: LoginTimeouts;
      /** The clock the capacity rule reads cooldowns against. */
      now?: Clock;
    },
  ) {}

  private now(): number {
    return (this.deps.now ?? systemClock)();
  }

  settings(): Settings {
    const { store } = this.deps;
    return { codexPath: store.setting(SETTING_KEYS.codexPath) ?? '', claudePath: store.setting(SETTING_KEYS.claudePath) ?? '' };
  }

  updateSettings(change: Partial<Settings>): Settings {
    for (const [key, value] of Object.entries(change) as [keyof Settings, string][]) {
      this.deps.store.saveSetting(SETTING_KEYS[key], value.trim());
    }
    return this.settings();
  }

  providers(): Promise<ProviderInfo[]> {
    const settings = this.settings();
    const scratch = path.join(accountsRoot(this.deps.dataDir), '.probe');
    return Promise.all(providers.map((p) => describeProvider(p, settings[CLI_PATH_SETTING[p]], path.join(scratch, p))));
  }

  list(): Account[] {
    return this.deps.store.list();
  }

  async connect(input: ConnectAccountInput): Promise<Login> {
    const { provider, method } = input;
    const allowed: LoginMethod[] = provider === 'codex' ? ['device'] : ['browser', 'token', 'api_key'];
    if (!allowed.includes(method)) {
      throw new FleetError('invalid_input', `${provider} accounts link with ${allowed.join(' or ')}, not ${method}.`);
    }
    const needsSecret = method === 'token' || method === 'api_key';
    if (needsSecret !== (input.secret !== undefined)) {
      throw new FleetError('invalid_input', needsSecret ? `Linking with ${method} needs the ${method === 'token' ? 'token' : 'API key'}.` : `A ${method} login takes no secret.`);
    }
    let cli: string | null = null;
    let missing: FleetError | null = null;
    try {
      cli = requireCli(provider, this.settings()[CLI_PATH_SETTING[provider]]);
    } catch (error) {
      // A token or key can be linked before the CLI is installed; a login runs the CLI, so it cannot.
      if (!(needsSecret && error instanceof FleetError && error.code === 'cli_missing')) throw error;
      missing = error;
    }
    const ref = input.ref ?? nextRef(provider, this.takenRefs());
    if (this.takenRefs().has(ref)) throw new FleetError('account_exists', `The ref ${ref} is already in use.`);
    const home = accountHome(this.deps.dataDir, provider, ref);
    if (existsSync(home)) throw new FleetError('account_exists', `${home} already exists; remove it or pick another ref.`);
    ensureHome(provider, home);
    const login = newLogin({ loginId: newRef('login'), provider, ref, method, reconnect: false });
    if (cli === null) return this.keepUncheckedSecret(login, home, input.secret!, missing!);
    if (needsSecret) return this.linkWithSecret(login, cli, home, input.secret!);
    return this.startSession(login, cli, home);
  }

  async reconnect(ref: string): Promise<Login> {
    const account = this.deps.store.get(ref);
    if (this.activeLoginFor(ref)) throw new FleetError('login_not_active', `A login into ${ref} is already running.`);
    if (account.authMethod === 'token' || account.authMethod === 'api_key') {
      throw new FleetError('invalid_input', `${ref} is linked with a ${account.authMethod === 'token' ? 'token' : 'API key'}; remove it and link again with the new one.`);
    }
    const cli = requireCli(account.provider, this.settings()[CLI_PATH_SETTING[account.provider]]);
    ensureHome(account.provider, account.homeDir);
    const login = newLogin({ loginId: newRef('login'), provider: account.provider, ref, method: account.authMethod, reconnect: true });
    return this.startSession(login, cli, account.homeDir);
  }

  login(loginId: string): Login {
    const active = this.logins.get(loginId);
    if (!active) throw new FleetError('login_not_found', `No login ${loginId}.`);
    return active.login;
  }

  submitCode(loginId: string, code: string): Login {
    const active = this.logins.get(loginId);
    if (!active) throw new FleetError('login_not_found', `No login ${loginId}.`);
    if (!active.session || active.login.state !== 'waiting_for_code') {
      throw new FleetError('login_not_active', `Login ${loginId} is not waiting for a code (it is ${active.login.state}).`);
    }
    active.session.submitCode(code);
    return shownLogin(active.session.login);
  }

  /** Ends the login CLI; a new account's half-made home is removed with it. */
  async cancel(loginId: string): Promise<Login> {
    const active = this.logins.get(loginId);
    if (!active) throw new FleetError('login_not_found', `No login ${loginId}.`);
    if (!active.session || active.login.endedAt) return active.login;
    active.session.cancel();
    await active.session.exited;
    return this.logins.get(loginId)!.login;
  }

  async refresh(ref?: string): Promise<Account[]> {
    const accounts = ref ? [this.deps.store.get(ref)] : this.deps.store.list();
    const settings = this.settings();
    const updated = await Promise.all(
      accounts.map(async (account) => {
        let probe: Probe;
        try {
          const cli = requireCli(account.provider, settings[CLI_PATH_SETTING[account.provider]]);
          probe = await probeReadiness(account.provider, cli, account.homeDir, this.secretEnv(account.ref, account.authMethod));
        } catch (error) {
          probe = error instanceof FleetError && error.code === 'cli_missing'
            ? { readiness: 'cli_missing', detail: error.message, identity: null }
            : { readiness: 'error', detail: error instanceof Error ? error.message : String(error), identity: null };
        }
        return this.publish(this.deps.store.recordProbe(account.ref, probe));
      }),
    );
    return updated;
  }

  /**
   * The account a Claude or Codex worker runs on: the one named, or the first account of that provider
   * the capacity rule lets take a worker now (ready, unpaused, not cooling down, a free slot). Says why when there is none.
   */
  workerAccount(provider: Provider, ref: string | undefined, full: ReadonlySet<string> = new Set()): WorkerAccount {
    const candidates = ref ? [this.deps.store.get(ref)] : this.deps.store.list().filter((a) => a.provider === provider);
    const why: string[] = [];
    for (const account of candidates) {
      if (account.provider !== provider) why.push(`${account.ref} is a ${account.provider} account`);
      else if (full.has(account.ref)) why.push(`${account.ref} already has its run's maximum of assignments`);
      else {
        const unavailable = whyUnavailable(account, this.now());
        if (unavailable !== null) {
          why.push(unavailable);
          continue;
        }
        const cli = requireCli(provider, this.settings()[CLI_PATH_SETTING[provider]]);
        return { ref: account.ref, home: account.homeDir, env: this.secretEnv(account.ref, account.authMethod), cli };
      }
    }
    const detail = why.length > 0 ? why.join('; ') : `no ${provider} account is linked`;
    throw new FleetError('no_ready_account', `No ${provider} account can take this work: ${detail}.`);
  }

  /**
   * A worker on the account hit the provider's rate or usage limit: it cools down until the reset the
   * message names (or a backoff), longer once several limits came in a row. Call after the closeout is stored.
   */
  coolDown(ref: string, message: string): Account {
    const now = this.now();
    const streak = this.deps.store.rateLimitStreak(ref, RATE_LIMIT_BREAKER_STREAK);
    const reset = resetTimeIn(message, now);
    return this.publish(
      this.deps.store.setCooldown(ref, new Date(cooldownEnd(message, streak, now)).toISOString(), reset === null ? null : new Date(reset).toISOString()),
    );
  }

  setPaused(ref: string, paused: boolean): Account {
    return this.publish(this.deps.store.setPaused(ref, paused));
  }

  setSlots(ref: string, slots: number): Account {
    return this.publish(this.deps.store.setSlots(ref, slots));
  }

  async remove(ref: string): Promise<{ ref: string }> {
    const account = this.deps.store.get(ref);
    const active = this.activeLoginFor(ref);
    if (active?.session) {
      active.session.cancel();
      await active.session.exited;
    }
    this.deps.store.remove(ref);
    this.deps.secrets.delete(ref);
    removeHome(account.homeDir);
    this.deps.hub.broadcast('account.removed', { ref });
    return { ref };
  }

  /** Stops every login CLI, for an app quit. */
  async shutdown(): Promise<void> {
    const running = [...this.logins.values()].filter((active) => active.session && !active.login.endedAt);
    for (const active of running) active.session!.cancel();
    await Promise.all(running.map((active) => active.session!.exited));
  }

  private takenRefs(): Set<string> {
    const taken = new Set(this.deps.store.refs());
    for (const active of this.logins.values()) if (!active.login.endedAt) taken.add(active.login.ref);
    return taken;
  }

  private activeLoginFor(ref: string): ActiveLogin | undefined {
    return [...this.logins.values()].find((active) => active.login.ref === ref && !active.login.endedAt);
  }

  private secretEnv(ref: string, method: LoginMethod): Record<string, string> {
    const variable = SECRET_VARIABLE[method];
    const secret = variable ? this.deps.secrets.get(ref) : null;
    return variable && secret ? { [variable]: secret } : {};
  }

  private publish(account: Account): Account {
    this.deps.hub.broadcast('account.updated', account);
    return account;
  }

  private track(login: Login, home: string, session: LoginSession | null): ActiveLogin {
    const active: ActiveLogin = { session, login, home };
    this.logins.set(login.loginId, active);
    return active;
  }

  private setLogin(active: ActiveLogin, login: Login): void {
    active.login = shownLogin(login);
    this.deps.hub.broadcast('login.updated', active.login);
  }

  private startSession(login: Login, cli: string, home: string): Login {
    const onUpdate = (next: Login) => this.setLogin(active, next);
    const session =
      login.provider === 'codex'
        ? new CodexDeviceLogin(login, onUpdate, { cli, home, issuer: this.deps.codexIssuer }, this.deps.loginTimeouts)
        : new ClaudeBrowserLogin(login, onUpdate, { cli, home }, this.deps.loginTimeouts);
    const active = this.track(login, home, session);
    session.start();
    void session.exited.then((exit) => this.conclude(active, cli, exit));
    return shownLogin(session.login);
  }

  /** Decides how a login CLI's end reads: approved only when the probe in its home says ready. */
  private async conclude(active: ActiveLogin, cli: string, exit: LoginExit): Promise<void> {
    const { login, home } = active;
    const tail = outputTail(exit.output, LOGIN_OUTPUT_TAIL_LINES);
    const lastWords = tail.filter((line) => !line.startsWith('WARNING:')).at(-1) ?? null;
    let ended: Pick<Login, 'state' | 'reason'>;
    if (exit.cancelled) ended = { state: 'cancelled', reason: 'cancelled by the owner' };
    else if (exit.expired) ended = { state: 'expired', reason: 'the one-time code expired before it was approved' };
    else if (exit.stalled) ended = { state: 'failed', reason: `cli_timeout: the CLI printed no login prompt within ${this.deps.loginTimeouts.promptMs} ms` };
    else if (exit.code !== 0) {
      const plain = stripAnsi(exit.output);
      // The CLI's own 15-minute limit says "timed out"; an issuer answers an expired code 410 Gone.
      ended = /expired|timed out|\b410 Gone\b/i.test(plain)
        ? { state: 'expired', reason: lastWords ?? 'the code expired' }
        : { state: 'failed', reason: lastWords ?? `the CLI exited ${exit.code}` };
    } else {
      const probe = await probeReadiness(login.provider, cli, home, {});
      // A device login counts only once its credentials are in the home and the CLI says so.
      const credentialsKept = login.provider !== 'codex' || existsSync(path.join(home, 'auth.json'));
      if (probe.readiness === 'ready' && credentialsKept) {
        ended = { state: 'approved', reason: null };
        this.saveAccount(login, home, probe);
      } else {
        const why = probe.readiness !== 'ready' ? probe.detail : `no auth.json in ${home}`;
        ended = { state: 'failed', reason: `the CLI exited 0 but the account is not ready: ${why}` };
      }
    }
    if (ended.state !== 'approved' && !login.reconnect) removeHome(home);
    this.setLogin(active, { ...active.login, ...ended, outputTail: tail, endedAt: nowIso() });
    this.forgetLater(login.loginId);
  }

  private saveAccount(login: Login, home: string, probe: Probe): void {
    if (login.reconnect) {
      this.deps.store.setAuthMethod(login.ref, login.method);
      this.publish(this.deps.store.recordProbe(login.ref, probe));
    } else {
      this.publish(this.deps.store.insert({ ref: login.ref, provider: login.provider, homeDir: home, authMethod: login.method, probe }));
    }
  }

  /** Token and API-key links: no CLI login runs; the secret is stored and the account probed with it. */
  private async linkWithSecret(login: Login, cli: string, home: string, secret: string): Promise<Login> {
    const active = this.track(login, home, null);
    const variable = SECRET_VARIABLE[login.method]!;
    const probe = await probeReadiness(login.provider, cli, home, { [variable]: secret });
    if (probe.readiness !== 'ready') {
      removeHome(home);
      this.setLogin(active, { ...login, state: 'failed', reason: probe.detail, endedAt: nowIso() });
    } else {
      this.deps.secrets.set(login.ref, secret);
      this.saveAccount(login, home, probe);
      this.setLogin(active, { ...login, state: 'approved', endedAt: nowIso() });
    }
    this.forgetLater(login.loginId);
    return active.login;
  }

  /**
   * No CLI to probe the secret with: it is kept, and the account says cli_missing (so nothing is
   * dispatched to it) until a refresh with the CLI installed probes it like any other.
   */
  private keepUncheckedSecret(login: Login, home: string, secret: string, missing: FleetError): Login {
    const active = this.track(login, home, null);
    this.deps.secrets.set(login.ref, secret);
    this.saveAccount(login, home, { readiness: 'cli_missing', detail: `${missing.message}. The ${login.method === 'token' ? 'token' : 'key'} is kept and checked once the CLI is installed (Refresh).`, identity: null });
    this.setLogin(active, { ...login, state: 'approved', endedAt: nowIso() });
    this.forgetLater(login.loginId);
    return active.login;
  }

  private forgetLater(loginId: string): void {
    setTimeout(() => this.logins.delete(loginId), ENDED_LOGIN_KEEP_MS).unref();
  }
}
