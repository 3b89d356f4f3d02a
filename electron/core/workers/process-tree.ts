import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Every worker is started with this variable set to its assignment id. Children inherit it, so a
 * sweep finds a descendant that left the tree: one that called setsid and whose parent then exited
 * is re-parented to init, and no parent link or process group leads to it any more.
 */
export const ASSIGNMENT_ENV = 'KHALA_ASSIGNMENT';
/** Time the tree gets to exit on SIGTERM before SIGKILL. */
export const KILL_TREE_GRACE_MS = 3_000;
/** After SIGKILL, the longest wait for the tree to be gone (a process in uninterruptible I/O dies only when the I/O returns). */
export const KILL_TREE_SETTLE_MS = 5_000;
/** How often /proc is read while waiting for the tree to exit. */
const KILL_TREE_POLL_MS = 25;

const PROC = '/proc';

/** The fields of /proc/<pid>/stat a sweep needs. `startTime` tells a process from a later one that reuses its pid. */
interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  startTime: string;
}

/** What to kill: the worker (while its pid is still ours) and whatever carries its marker. */
export interface TreeTarget {
  /**
   * The worker's pid, or null once it has been reaped (then the pid may belong to someone else).
   * Asked again on every sweep.
   */
  rootPid: () => number | null;
  /** `ASSIGNMENT_ENV=<id>` as it appears in a worker's environment. */
  marker: string;
}

export interface KillTreeOptions {
  graceMs?: number;
  settleMs?: number;
}

export function workerMarker(assignmentId: string): string {
  return `${ASSIGNMENT_ENV}=${assignmentId}`;
}

function procAvailable(): boolean {
  return existsSync(`${PROC}/self/stat`);
}

function readEntry(pid: number): ProcessEntry | null {
  let text: string;
  try {
    text = readFileSync(`${PROC}/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may itself hold spaces or parentheses: fields follow the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: fields[19] ?? '' };
}

/** A process named so that a later process reusing its pid is never taken for it. */
export interface ProcessIdentity {
  pid: number;
  /** /proc's start time in clock ticks since boot (or `ps`'s start time where there is no /proc). */
  startTime: string;
}

/** The identity of a running process, or null when no process has that pid (or it has exited). */
export function processIdentity(pid: number): ProcessIdentity | null {
  if (procAvailable()) {
    const entry = readEntry(pid);
    return entry && !exited(entry) ? { pid, startTime: entry.startTime } : null;
  }
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return started ? { pid, startTime: started } : null;
  } catch {
    return null;
  }
}

/**
 * The identity of a child this host just spawned, even when it has already ended: a child not yet
 * reaped is a zombie that keeps its pid, so the pid cannot be anyone else's. A command as quick as
 * `true` is often a zombie before its spawner reads it, and is still a process that ran.
 */
export function spawnedChildIdentity(pid: number): ProcessIdentity | null {
  if (procAvailable()) {
    const entry = readEntry(pid);
    return entry ? { pid, startTime: entry.startTime } : null;
  }
  return processIdentity(pid);
}

/** Whether this exact process still runs: same pid and same start time. */
export function isSameProcess(identity: ProcessIdentity): boolean {
  return processIdentity(identity.pid)?.startTime === identity.startTime;
}

/** A zombie (or a process being torn down) has exited; it only waits for its parent to collect it. */
function exited(entry: ProcessEntry): boolean {
  return entry.state === 'Z' || entry.state === 'X';
}

function liveProcesses(): ProcessEntry[] {
  let names: string[];
  try {
    names = readdirSync(PROC);
  } catch {
    return [];
  }
  const entries: ProcessEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readEntry(Number(name));
    if (entry && !exited(entry)) entries.push(entry);
  }
  return entries;
}

function carriesMarker(pid: number, marker: string): boolean {
  let environ: string;
  try {
    environ = readFileSync(`${PROC}/${pid}/environ`, 'latin1');
  } catch {
    // Another user's process (or one just gone): not ours to sweep.
    return false;
  }
  return `\0${environ}`.includes(`\0${marker}\0`) || environ.endsWith(`\0${marker}`) || environ === marker;
}

/**
 * The live processes of a worker's tree: the worker, its process group, everything that carries its
 * marker, and every descendant of those by parent links (so one that cleared its environment but still
 * has a parent in the tree is found too). Never this process.
 */
export function findTree(target: TreeTarget): ProcessEntry[] {
  const all = liveProcesses();
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of all) {
    const siblings = children.get(entry.ppid) ?? [];
    siblings.push(entry);
    children.set(entry.ppid, siblings);
  }
  const found = new Map<number, ProcessEntry>();
  const queue: ProcessEntry[] = [];
  const add = (entry: ProcessEntry) => {
    if (entry.pid === process.pid || found.has(entry.pid)) return;
    found.set(entry.pid, entry);
    queue.push(entry);
  };
  const root = target.rootPid();
  for (const entry of all) {
    if ((root !== null && (entry.pid === root || entry.pgid === root)) || carriesMarker(entry.pid, target.marker)) add(entry);
  }
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const child of children.get(next.pid) ?? []) add(child);
  }
  return [...found.values()];
}

/** One signal to every process of the tree, at once (for a start-up sweep that cannot wait); returns their pids. */
export function signalTree(target: TreeTarget, signal: NodeJS.Signals): number[] {
  const pids = findTree(target).map((entry) => entry.pid);
  for (const pid of pids) send(pid, signal);
  return pids;
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone between the sweep and the signal.
  }
}

function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (done() || Date.now() >= deadline) resolve();
      else setTimeout(check, KILL_TREE_POLL_MS);
    };
    check();
  });
}

/**
 * Kills a worker's whole tree: SIGTERM to every process found, then (after the grace, or at once when
 * they are all gone) SIGKILL to whatever is left and to anything started meanwhile. Resolves with the
 * pids it signalled once none of them runs any more (or the settle time is over: a process stuck in
 * uninterruptible I/O cannot be hurried).
 */
export async function killProcessTree(target: TreeTarget, options: KillTreeOptions = {}): Promise<number[]> {
  const graceMs = options.graceMs ?? KILL_TREE_GRACE_MS;
  const settleMs = options.settleMs ?? KILL_TREE_SETTLE_MS;
  if (!procAvailable()) return killGroupOnly(target, graceMs, settleMs);

  const signalled = new Map<number, string>();
  const sweep = (signal: NodeJS.Signals) => {
    for (const entry of findTree(target)) {
      if (!signalled.has(entry.pid)) signalled.set(entry.pid, entry.startTime);
    }
    // A process found earlier may since have lost every link to the tree (its parent exited and it had cleared its environment).
    for (const [pid, startTime] of signalled) {
      if (isSameProcess({ pid, startTime })) send(pid, signal);
    }
  };
  const allGone = () => [...signalled].every(([pid, startTime]) => !isSameProcess({ pid, startTime }));

  sweep('SIGTERM');
  await waitUntil(allGone, graceMs);
  sweep('SIGKILL');
  await waitUntil(allGone, settleMs);
  return [...signalled.keys()].sort((a, b) => a - b);
}

/**
 * Without /proc (macOS, Windows) descendants cannot be walked, nor environments read: only the
 * worker's process group is signalled, so a descendant that called setsid is not reached there.
 */
async function killGroupOnly(target: TreeTarget, graceMs: number, settleMs: number): Promise<number[]> {
  const root = target.rootPid();
  if (root === null) return [];
  const groupAlive = () => {
    try {
      process.kill(-root, 0);
      return true;
    } catch {
      return false;
    }
  };
  send(-root, 'SIGTERM');
  await waitUntil(() => !groupAlive(), graceMs);
  if (groupAlive()) send(-root, 'SIGKILL');
  await waitUntil(() => !groupAlive(), settleMs);
  return [root];
}
