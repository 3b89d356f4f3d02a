import type { Login } from '../../../shared/accounts';
import { maskSecrets } from '../../../shared/secret-mask';
import { nowIso } from '../refs';
import { outputTail, stripAnsi } from './cli-output';

/** Lines of the CLI's output kept with a login, for the dialog to show with a failure. */
export const LOGIN_OUTPUT_TAIL_LINES = 20;
/** A login CLI that has printed no URL or code by then is wedged. */
export const LOGIN_PROMPT_TIMEOUT_MS = 30_000;
/** Time the CLI gets past the code's own expiry to report it before it is stopped. */
export const LOGIN_EXPIRY_GRACE_MS = 15_000;
/** Codex states its code's lifetime; this is used only if the text ever changes. */
export const DEFAULT_CODE_LIFETIME_MS = 15 * 60 * 1000;

export interface LoginTimeouts {
  promptMs: number;
  expiryGraceMs: number;
}

export const DEFAULT_LOGIN_TIMEOUTS: LoginTimeouts = { promptMs: LOGIN_PROMPT_TIMEOUT_MS, expiryGraceMs: LOGIN_EXPIRY_GRACE_MS };

/** How a login CLI ended; the account service decides what that means. */
export interface LoginExit {
  code: number | null;
  cancelled: boolean;
  /** Stopped because it printed no prompt in time. */
  stalled: boolean;
  /** Stopped because the code's lifetime ran out. */
  expired: boolean;
  output: string;
}

/** One running login CLI: its live state for the dialog and the way it ended. */
export abstract class LoginSession {
  protected output = '';
  readonly exited: Promise<LoginExit>;
  private settle!: (exit: LoginExit) => void;
  private cancelled = false;
  private stalled = false;
  private expired = false;
  private promptTimer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;

  constructor(
    public login: Login,
    private readonly onUpdate: (login: Login) => void,
    private readonly timeouts: LoginTimeouts,
  ) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
  }

  cancel(): void {
    this.cancelled = true;
    this.kill();
  }

  submitCode(_code: string): void {
    throw new Error('this login takes no pasted code');
  }

  /** Output so far with ANSI stripped (for parsing prompts). */
  protected get plainOutput(): string {
    return stripAnsi(this.output).replace(/\r/g, '');
  }

  protected startTimers(): void {
    this.promptTimer = setTimeout(() => {
      if (this.login.state !== 'starting') return;
      this.stalled = true;
      this.kill();
    }, this.timeouts.promptMs);
  }

  protected expireAt(expiresAt: Date): void {
    if (this.expiryTimer) return;
    this.expiryTimer = setTimeout(() => {
      this.expired = true;
      this.kill();
    }, Math.max(0, expiresAt.getTime() - Date.now()) + this.timeouts.expiryGraceMs);
  }

  protected update(change: Partial<Login>): void {
    this.login = { ...this.login, ...change, outputTail: outputTail(this.output, LOGIN_OUTPUT_TAIL_LINES) };
    this.onUpdate(this.login);
  }

  protected finish(code: number | null): void {
    if (this.promptTimer) clearTimeout(this.promptTimer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.settle({ code, cancelled: this.cancelled, stalled: this.stalled, expired: this.expired, output: this.output });
  }

  /** Ends the CLI (its whole process group). */
  protected abstract kill(): void;
}

/** A login as the owner sees it: the CLI's words masked for secrets (the URL and code stay whole: the owner needs them). */
export function shownLogin(login: Login): Login {
  return { ...login, reason: login.reason === null ? null : maskSecrets(login.reason), outputTail: login.outputTail.map(maskSecrets) };
}

export function newLogin(input: Pick<Login, 'loginId' | 'provider' | 'ref' | 'method' | 'reconnect'>): Login {
  return {
    ...input,
    state: 'starting',
    verificationUrl: null,
    userCode: null,
    expiresAt: null,
    reason: null,
    outputTail: [],
    startedAt: nowIso(),
    endedAt: null,
  };
}
