import type { ChildProcess } from 'node:child_process';

/** Time a worker gets to exit on SIGTERM before the whole group is killed. */
export const TERMINATE_GRACE_MS = 3_000;

/** Signals the child's whole process group (it was spawned detached, so it leads one). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone: nothing left to signal.
    }
  }
}

/** SIGTERM, then SIGKILL after the grace period; resolves when the child has closed. */
export function stopGroup(child: ChildProcess, closed: Promise<unknown>, graceMs = TERMINATE_GRACE_MS): Promise<void> {
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  return closed.then(() => clearTimeout(timer));
}
