import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ASSIGNMENT_ENV, findTree, killProcessTree, processIdentity, spawnedChildIdentity, workerMarker } from './process-tree';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});

/** A node process that ignores SIGTERM (as a CLI busy in a tool call may) and prints "ready" once its handler is set. */
function stubborn(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 60000);`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  started.push(child);
  return new Promise((resolve) => child.stdout!.once('data', () => resolve(child)));
}

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe.runIf(existsSync('/proc/self/stat'))('the process-tree kill', () => {
  it('SIGKILLs what ignores SIGTERM once the grace is over, and leaves a process without the marker alone', async () => {
    const marked = await stubborn({ [ASSIGNMENT_ENV]: 'asg-tree-1' });
    const other = await stubborn({ [ASSIGNMENT_ENV]: 'asg-tree-2' });
    const target = { rootPid: () => null, marker: workerMarker('asg-tree-1') };
    expect(findTree(target).map((entry) => entry.pid)).toEqual([marked.pid]);

    const closed = new Promise((resolve) => marked.once('close', (_code, signal) => resolve(signal)));
    const killed = await killProcessTree(target, { graceMs: 100 });
    console.log(`process-tree kill: ${killed.length} of 2 candidate processes killed`);
    expect(killed).toEqual([marked.pid]);
    expect(await closed).toBe('SIGKILL');
    expect(running(other.pid!)).toBe(true);
    expect(await killProcessTree(target)).toEqual([]);
  });

  it('finds a worker by its pid and process group, and never this process', async () => {
    const worker = await stubborn({});
    const tree = findTree({ rootPid: () => worker.pid!, marker: workerMarker('asg-none') });
    expect(tree.map((entry) => entry.pid)).toEqual([worker.pid]);
    expect(findTree({ rootPid: () => process.pid, marker: workerMarker('asg-none') }).map((e) => e.pid)).not.toContain(process.pid);
  });
});

describe.runIf(existsSync('/proc/self/stat'))("a just-spawned child's identity", () => {
  it('is known even when the child already ended and waits, a zombie, to be reaped (a verify as quick as `true`)', () => {
    const child = spawn('true');
    const pid = child.pid!;
    // Synchronously: the event loop cannot reap the child until this test yields, so it stays a zombie.
    const stateOf = () => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    let state = stateOf();
    for (let reads = 0; state !== 'Z' && reads < 10_000_000; reads += 1) state = stateOf();
    expect(state).toBe('Z');
    expect(processIdentity(pid)).toBeNull();
    expect(spawnedChildIdentity(pid)).toEqual({ pid, startTime: expect.any(String) });
  });
});
