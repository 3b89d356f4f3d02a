import { spawn, type ChildProcess } from 'node:child_process';
import type { Login } from '../../../shared/accounts';
import { signalGroup } from '../workers/process-group';
import { providerEnvironment } from './homes';
import { DEFAULT_CODE_LIFETIME_MS, LoginSession, type LoginTimeouts } from './login-session';

const URL_PATTERN = /https?:\/\/[^\s"'<>]+/;
/** Codex prints the code on the line after this one; its length varies, so the line is taken whole. */
const CODE_HEADING = /one-time code/i;
const LIFETIME = /expires in (\d+) minute/i;
const MS_PER_MINUTE = 60_000;

/** Finds the verification URL, the one-time code and its lifetime in what `codex login --device-auth` printed. */
export function parseDeviceCode(plain: string): { url: string | null; code: string | null; lifetimeMs: number | null } {
  const lines = plain.split('\n').map((line) => line.trim());
  const url = URL_PATTERN.exec(plain)?.[0] ?? null;
  let code: string | null = null;
  const heading = lines.findIndex((line) => CODE_HEADING.test(line));
  if (heading >= 0) code = lines.slice(heading + 1).find((line) => line.length > 0 && !URL_PATTERN.test(line)) ?? null;
  const minutes = LIFETIME.exec(plain)?.[1];
  return { url, code, lifetimeMs: minutes ? Number(minutes) * MS_PER_MINUTE : null };
}

/** `codex login --device-auth` in the account's CODEX_HOME, followed through its output. */
export class CodexDeviceLogin extends LoginSession {
  private child: ChildProcess | null = null;

  constructor(
    login: Login,
    onUpdate: (login: Login) => void,
    private readonly launch: { cli: string; home: string; issuer: string | null },
    timeouts: LoginTimeouts,
  ) {
    super(login, onUpdate, timeouts);
  }

  start(): void {
    const args = ['login', '--device-auth'];
    if (this.launch.issuer) args.push('--experimental_issuer', this.launch.issuer);
    const child = spawn(this.launch.cli, args, {
      cwd: this.launch.home,
      env: providerEnvironment('codex', this.launch.home),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const onText = (text: string) => {
      this.output += text;
      this.read();
    };
    child.stdout.setEncoding('utf8').on('data', onText);
    child.stderr.setEncoding('utf8').on('data', onText);
    child.on('error', (error) => {
      this.output += `\n${error.message}\n`;
    });
    child.on('close', (code) => this.finish(code));
    this.startTimers();
  }

  protected kill(): void {
    if (this.child) signalGroup(this.child, 'SIGTERM');
  }

  private read(): void {
    if (this.login.state !== 'starting') {
      this.update({});
      return;
    }
    const found = parseDeviceCode(this.plainOutput);
    if (!found.url || !found.code) {
      this.update({});
      return;
    }
    const expiresAt = new Date(Date.now() + (found.lifetimeMs ?? DEFAULT_CODE_LIFETIME_MS));
    this.expireAt(expiresAt);
    this.update({ state: 'waiting_for_approval', verificationUrl: found.url, userCode: found.code, expiresAt: expiresAt.toISOString() });
  }
}
