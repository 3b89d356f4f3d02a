import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { OWNER_ONLY_FILE } from '../store/owner-only';
import { isSameProcess, processIdentity, spawnedChildIdentity, type ProcessIdentity } from './process-tree';

/**
 * How often an adopted process (one a previous host started, so no exit event reaches this one) is
 * checked for its exit file and its identity.
 */
export const ADOPTED_EXIT_POLL_MS = 200;

/**
 * The wrapper every detached process runs under: `sh` waits for the command and writes its exit
 * status to a file, so a host that was not its parent (a later host that adopted it) still learns how
 * it ended. The traps keep the wrapper alive through the signals an interrupt sends to the whole
 * group (a trapped signal is reset to the default in the command it starts, so the command still
 * gets it); SIGKILL ends the wrapper too, and then no status is written.
 */
const EXIT_RECORDING_WRAPPER = [
  'trap : INT TERM HUP',
  'exit_file=$1',
  'shift',
  '"$@"',
  'status=$?',
  // Owner-only like every file in the data dir; in a subshell, so the command's umask stays the owner's own.
  `(umask 077 && printf '%s\\n' "$status" > "$exit_file.tmp") && mv -f "$exit_file.tmp" "$exit_file"`,
  'exit "$status"',
].join('\n');
/** The wrapper's name in `ps`. */
const WRAPPER_NAME = 'khala-detached';
/** A shell reports a command killed by signal N as status 128 + N. */
const SIGNAL_STATUS_BASE = 128;

export interface DetachedSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Read as the process's stdin (the prompt), or null for none. */
  stdinFile: string | null;
  /** Appended to; the process writes its output straight to these files, never through the host. */
  stdoutFile: string;
  /** May be the stdout file (one merged log). */
  stderrFile: string;
  /** Where the wrapper records the exit status. */
  exitFile: string;
}

export interface DetachedOutcome {
  exitCode: number | null;
  signal: string | null;
  /** The process could not be started (its command is missing, its cwd is gone). */
  spawnError: string | null;
  /** It ended without an exit status anyone saw: it was SIGKILLed, or it died while no host was its parent. */
  statusUnknown: boolean;
}

/** A process that runs in its own session, writes to files, and does not need the host to go on. */
export interface DetachedProcess {
  /** Null when it never started. */
  readonly identity: ProcessIdentity | null;
  /** Why it never started, or null. */
  readonly startError: string | null;
  readonly exited: Promise<DetachedOutcome>;
  /** A signal to its whole process group, only while it is still the process that was started. */
  signal(signal: NodeJS.Signals): void;
  /** Stops watching it (an app quit that keeps it running); `exited` then never settles. */
  release(): void;
}

/** The wrapper's exit file as an outcome: `status` 128 + N is signal N. */
export function readExitFile(exitFile: string): DetachedOutcome | null {
  let text: string;
  try {
    text = readFileSync(exitFile, 'utf8').trim();
  } catch {
    return null;
  }
  const status = Number(text);
  if (!/^\d+$/.test(text)) return null;
  return outcomeOfStatus(status);
}

function outcomeOfStatus(status: number): DetachedOutcome {
  if (status > SIGNAL_STATUS_BASE) {
    const name = signalName(status - SIGNAL_STATUS_BASE);
    if (name) return { exitCode: null, signal: name, spawnError: null, statusUnknown: false };
  }
  return { exitCode: status, signal: null, spawnError: null, statusUnknown: false };
}

function signalName(num: number): string | null {
  const entry = Object.entries(osConstants.signals).find(([, value]) => value === num);
  return entry ? entry[0] : null;
}

/** Where `command` would be run from, or null when it is not an executable file (a missing CLI). */
export function resolveExecutable(command: string, pathVariable: string | undefined): string | null {
  const candidates = command.includes('/') ? [command] : (pathVariable ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; the next directory on PATH.
    }
  }
  return null;
}

function failedToStart(message: string): DetachedProcess {
  return {
    identity: null,
    startError: message,
    exited: Promise.resolve({ exitCode: null, signal: null, spawnError: message, statusUnknown: false }),
    signal: () => undefined,
    release: () => undefined,
  };
}

function signalGroupOf(identity: ProcessIdentity, signal: NodeJS.Signals): void {
  // Checked first: a group whose leader has gone may have its pid reused by a stranger.
  if (!isSameProcess(identity)) return;
  try {
    process.kill(-identity.pid, signal);
  } catch {
    // Gone between the check and the signal.
  }
}

/**
 * Starts `command` detached: a new session and process group, stdin from a file, stdout and stderr
 * appended to files, and its exit status recorded in `exitFile`. The host keeps no pipe to it, so it
 * goes on when the host is killed.
 */
export function spawnDetached(spec: DetachedSpec): DetachedProcess {
  if (!existsSync(spec.cwd)) return failedToStart(`spawn ${spec.command} ENOENT: its working folder ${spec.cwd} is gone`);
  if (!resolveExecutable(spec.command, spec.env.PATH)) return failedToStart(`spawn ${spec.command} ENOENT`);
  rmSync(spec.exitFile, { force: true });
  const fds: number[] = [];
  const open = (file: string, flags: string) => {
    const fd = openSync(file, flags, OWNER_ONLY_FILE);
    fds.push(fd);
    return fd;
  };
  let child;
  try {
    const stdin = spec.stdinFile === null ? 'ignore' : open(spec.stdinFile, 'r');
    const stdout = open(spec.stdoutFile, 'a');
    const stderr = spec.stderrFile === spec.stdoutFile ? stdout : open(spec.stderrFile, 'a');
    child = spawn('/bin/sh', ['-c', EXIT_RECORDING_WRAPPER, WRAPPER_NAME, spec.exitFile, spec.command, ...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: [stdin, stdout, stderr],
    });
  } catch (error) {
    return failedToStart(error instanceof Error ? error.message : String(error));
  } finally {
    // The child has its own copies now.
    for (const fd of fds) closeSync(fd);
  }
  // The host does not wait for it to let Node exit; an app quit decides what becomes of it.
  child.unref();
  const identity = child.pid === undefined ? null : spawnedChildIdentity(child.pid);
  let released = false;
  const exited = new Promise<DetachedOutcome>((resolve) => {
    child.once('error', (error) => resolve({ exitCode: null, signal: null, spawnError: error.message, statusUnknown: false }));
    child.once('exit', (code, signal) => {
      if (released) return;
      // The wrapper's file names a signal the command died of; Node's own status covers a SIGKILLed wrapper.
      const recorded = readExitFile(spec.exitFile);
      if (recorded) resolve(recorded);
      else resolve({ exitCode: code, signal, spawnError: null, statusUnknown: code === null && signal === 'SIGKILL' });
    });
  });
  return {
    identity,
    startError: null,
    exited,
    signal: (signal) => {
      if (identity) signalGroupOf(identity, signal);
    },
    release: () => {
      released = true;
    },
  };
}

/** What a later host found where a previous one left a running process. */
export type Adoption = { state: 'running'; process: DetachedProcess } | { state: 'ended'; outcome: DetachedOutcome } | { state: 'gone'; detail: string };

/**
 * Takes over a process a previous host started: while it is the same process (pid and start time),
 * it is watched for its exit file; one that ended while no host watched is read from its exit file,
 * and one that is gone without one (or whose pid now names another process) is reported as gone.
 */
export function adoptDetached(identity: ProcessIdentity | null, exitFile: string, pollMs = ADOPTED_EXIT_POLL_MS): Adoption {
  // First: with no process recorded, an exit file there is an earlier run's (a follow-up's verify that never started).
  if (!identity) return { state: 'gone', detail: 'it has no recorded process' };
  const recorded = readExitFile(exitFile);
  if (recorded) return { state: 'ended', outcome: recorded };
  const now = processIdentity(identity.pid);
  if (!now) return { state: 'gone', detail: `its process (pid ${identity.pid}) is gone and left no exit status` };
  if (now.startTime !== identity.startTime) {
    return { state: 'gone', detail: `its process (pid ${identity.pid}) is gone and the pid now names another process` };
  }
  let timer: NodeJS.Timeout | null = null;
  let killed = false;
  const exited = new Promise<DetachedOutcome>((resolve) => {
    const check = () => {
      timer = null;
      const outcome = readExitFile(exitFile);
      if (outcome) return resolve(outcome);
      // Between the wrapper's exit file and its exit there is a moment: the file is read once more after.
      if (!isSameProcess(identity)) {
        return resolve(readExitFile(exitFile) ?? { exitCode: null, signal: killed ? 'SIGKILL' : null, spawnError: null, statusUnknown: true });
      }
      timer = setTimeout(check, pollMs);
    };
    check();
  });
  return {
    state: 'running',
    process: {
      identity,
      startError: null,
      exited,
      signal: (signal) => {
        if (signal === 'SIGKILL') killed = true;
        signalGroupOf(identity, signal);
      },
      release: () => {
        if (timer) clearTimeout(timer);
        timer = null;
      },
    },
  };
}
