import * as pty from 'node-pty';
import type { Login } from '../../../shared/accounts';
import { providerEnvironment } from './homes';
import { DEFAULT_CODE_LIFETIME_MS, LoginSession, type LoginTimeouts } from './login-session';

const URL_PATTERN = /https?:\/\/[^\s"'<>]+/;
const PASTE_PROMPT = /paste code/i;
/** Wide enough that the CLI never wraps the long OAuth URL across lines. */
const PTY_COLUMNS = 1_000;
const PTY_ROWS = 50;
/** A pty can deliver a few bytes after its exit event (toolchain.md); wait this long for them. */
const PTY_DRAIN_MS = 100;
/** Time the CLI gets to end on SIGTERM before it is killed. */
const PTY_KILL_GRACE_MS = 2_000;

/** `claude auth login` in a terminal: it prints a URL, then waits for the code the browser shows. */
export class ClaudeBrowserLogin extends LoginSession {
  private terminal: pty.IPty | null = null;
  private ended = false;

  constructor(
    login: Login,
    onUpdate: (login: Login) => void,
    private readonly launch: { cli: string; home: string },
    timeouts: LoginTimeouts,
  ) {
    super(login, onUpdate, timeouts);
  }

  start(): void {
    const terminal = pty.spawn(this.launch.cli, ['auth', 'login'], {
      name: 'xterm-256color',
      cols: PTY_COLUMNS,
      rows: PTY_ROWS,
      cwd: this.launch.home,
      env: providerEnvironment('claude', this.launch.home),
    });
    this.terminal = terminal;
    terminal.onData((text) => {
      this.output += text;
      this.read();
    });
    terminal.onExit(({ exitCode }) => {
      setTimeout(() => {
        this.ended = true;
        this.finish(exitCode);
      }, PTY_DRAIN_MS);
    });
    this.startTimers();
  }

  override submitCode(code: string): void {
    this.terminal?.write(`${code}\r`);
    this.update({ state: 'waiting_for_approval' });
  }

  protected kill(): void {
    const terminal = this.terminal;
    if (!terminal || this.ended) return;
    terminal.kill('SIGTERM');
    setTimeout(() => {
      if (!this.ended) terminal.kill('SIGKILL');
    }, PTY_KILL_GRACE_MS).unref();
  }

  private read(): void {
    const plain = this.plainOutput;
    const url = this.login.verificationUrl ?? URL_PATTERN.exec(plain)?.[0] ?? null;
    if (this.login.state === 'starting' && url) {
      const expiresAt = new Date(Date.now() + DEFAULT_CODE_LIFETIME_MS);
      this.expireAt(expiresAt);
      this.update({
        state: PASTE_PROMPT.test(plain) ? 'waiting_for_code' : 'waiting_for_approval',
        verificationUrl: url,
        expiresAt: expiresAt.toISOString(),
      });
      return;
    }
    if (this.login.state === 'waiting_for_approval' && PASTE_PROMPT.test(plain) && this.login.userCode === null) {
      this.update({ state: 'waiting_for_code' });
      return;
    }
    this.update({});
  }
}
