import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { FleetError } from '../../shared/errors';
import { makeTempRepo, tempDir } from '../test-support/temp-repo';
import { startTestCore } from '../test-support/test-core';
import { whenExists } from '../test-support/when-exists';
import { DISK_PROBE_PREFIX } from './health/host-health';
import { acquireHostLock } from './host-lock';
import { createCore } from './core';

let holderScript: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  holderScript = path.join(mkdtempSync(path.join(os.tmpdir(), 'khala-holder-')), 'host-holder.cjs');
  await build({
    entryPoints: [path.resolve('electron/test-support/host-holder.ts')],
    outfile: holderScript,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'node-pty'],
    logLevel: 'warning',
    loader: { '.sql': 'text' },
  });
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts a host process on the data dir and resolves with its first line (`ready` or `refused: …`). */
function startHolder(dataDir: string, repoPath?: string): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [holderScript, dataDir, inject('fixtureWorkerScript'), ...(repoPath ? [repoPath] : [])], {
    env: { ...process.env, NODE_PATH: path.resolve('node_modules') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end >= 0) resolve({ child, line: text.slice(0, end) });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`holder exited ${code} before a line: ${text}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Every file in the data dir with its size and modification time: what "touched nothing" compares.
 * The running host's own disk probe comes and goes on its own, so it is not counted.
 */
function snapshot(dataDir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dataDir, { recursive: true, encoding: 'utf8' })
      .filter((name) => !path.basename(name).startsWith(DISK_PROBE_PREFIX))
      .map((name) => {
        const stats = statSync(path.join(dataDir, name));
        return [name, `${stats.size}:${stats.mtimeMs}`];
      }),
  );
}

describe('one host per data dir', () => {
  it('a second host is refused with host_running naming the first (pid and URL), and changes nothing in the data dir', async () => {
    const dataDir = tempDir();
    const first = await startHolder(dataDir);
    expect(first.line).toBe('ready');
    const before = snapshot(dataDir);

    const refusal = await acquireHostLock(dataDir).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(FleetError);
    expect((refusal as FleetError).code).toBe('host_running');
    expect((refusal as FleetError).message).toContain(`pid ${first.child.pid}`);
    expect((refusal as FleetError).message).toContain('ws://127.0.0.1:9/ws');

    // A second host process, as `npm run web` twice would start, stops at the lock too.
    const second = await startHolder(dataDir);
    expect(second.line).toMatch(/^refused: Khala Fleet Board is already running on .* \(pid \d+, ws:/);
    await exited(second.child);
    expect(second.child.exitCode).toBe(1);
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('after the running host is killed with SIGKILL, the lock is free again and a new core starts on the same store', async () => {
    const dataDir = tempDir();
    const first = await startHolder(dataDir);
    expect(first.line).toBe('ready');
    first.child.kill('SIGKILL');
    await exited(first.child);
    // The dead host's socket file is still there; nothing answers on it.
    expect(existsSync(path.join(dataDir, 'host.lock.sock'))).toBe(true);

    const lock = await acquireHostLock(dataDir);
    const core = createCore({ dataDir, version: 'test', fixtureWorkerScript: inject('fixtureWorkerScript'), log: () => undefined });
    await core.close();
    await lock.release();
    expect(existsSync(path.join(dataDir, 'host.lock.sock'))).toBe(false);

    // And a host process can take it again after an orderly release.
    const again = await startHolder(dataDir);
    expect(again.line).toBe('ready');
  });

  it('a data dir too deep for a socket path still gets a working lock: a short socket its host.lock names, refused while held, freed by SIGKILL', async () => {
    const dataDir = path.join(tempDir(), 'a-data-dir-nested-deep-enough'.repeat(4), 'khala');
    expect(Buffer.byteLength(path.join(dataDir, 'host.lock.sock'))).toBeGreaterThan(107);
    const first = await startHolder(dataDir);
    expect(first.line).toBe('ready');
    const socket = readFileSync(path.join(dataDir, 'host.lock'), 'utf8').trim();
    expect(Buffer.byteLength(socket)).toBeLessThanOrEqual(107);
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(path.dirname(socket)).mode & 0o077).toBe(0);

    const refusal = await acquireHostLock(dataDir).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toMatchObject({ code: 'host_running' });
    expect((refusal as FleetError).message).toContain(`pid ${first.child.pid}`);
    // Another spelling of the same data dir meets the same lock.
    expect(await acquireHostLock(`${dataDir}/`).then(() => null, (error: unknown) => error)).toMatchObject({ code: 'host_running' });

    first.child.kill('SIGKILL');
    await exited(first.child);
    const lock = await acquireHostLock(dataDir);
    expect(readFileSync(path.join(dataDir, 'host.lock'), 'utf8').trim()).toBe(socket);
    await lock.release();
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(path.join(dataDir, 'host.lock'))).toBe(false);
  });

  it('a host killed between the claim and the spawn leaves nothing live: the next start closes the unit out as stale and releases its claim', async () => {
    const dataDir = tempDir();
    const repo = makeTempRepo();
    const marker = path.join(tempDir('khala-hook-'), 'checkout-started');
    // git worktree add runs this hook after the claim and the row exist and before the worker could
    // start: it says where it is (its pid, which becomes sleep's) and holds the dispatch there.
    const hook = path.join(repo, '.git', 'hooks', 'post-checkout');
    writeFileSync(hook, `#!/bin/sh\necho $$ > '${marker}.tmp'\nmv '${marker}.tmp' '${marker}'\nexec sleep 600\n`);
    chmodSync(hook, 0o755);
    const first = await startHolder(dataDir, repo);
    expect(first.line).toBe('ready');
    await whenExists(marker);
    first.child.kill('SIGKILL');
    await exited(first.child);
    process.kill(Number(readFileSync(marker, 'utf8').trim()), 'SIGKILL');

    const lock = await acquireHostLock(dataDir);
    const second = startTestCore({ dataDir });
    try {
      const cards = await second.invoke('cards.list', {});
      expect(cards).toHaveLength(1);
      expect(cards[0]).toMatchObject({ status: 'closed', closeout: { status: 'failed', blockers: ['stale'] } });
      expect(cards[0]!.closeout.checks[0]!.detail).toContain('the host stopped before its worker started');
      const db = new Database(path.join(dataDir, 'fleet.sqlite'), { readonly: true });
      expect(db.prepare(`SELECT state, release_reason AS reason FROM claims`).all()).toEqual([{ state: 'released', reason: 'stale' }]);
      db.close();
    } finally {
      await second.core.close();
      await lock.release();
    }
  });
});
