/**
 * A host with no window: the full core, the host lock, the loopback WebSocket (with the built board)
 * and host.json. Browser mode (`web.ts`) and `khala serve` both start one this way; each owns its stop.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../core';
import { acquireHostLock, type HostLock } from '../core/host-lock';
import { startFreshIfUnrecognized } from '../core/store/store-check';
import type { WorkerFate } from '../core/assignments/task-service';
import { removeHostFile, writeHostFile } from './host-file';
import { startWebSocketHost, type WebSocketHost } from './ws';

export interface HeadlessHostOptions {
  dataDir: string;
  /** The folder of the built bundles (out/): fixture-worker.cjs and renderer/ live there, package.json one up. */
  outDir: string;
  /** 0 picks a free port. */
  port: number;
  /** The owner's answer to a refused store: move the old data aside first (see the store check). */
  startFresh: boolean;
  codexIssuer: string | null;
  /** Where the host's lines go: stdout for browser mode and `khala serve`. */
  say: (line: string) => void;
  log?: CoreOptions['log'];
}

export interface HeadlessHost {
  dataDir: string;
  core: Core;
  host: WebSocketHost;
  lock: HostLock;
}

export async function startHeadlessHost(options: HeadlessHostOptions): Promise<HeadlessHost> {
  const { dataDir, outDir } = options;
  // Before anything touches the data dir: a second host on it refuses here and changes nothing.
  const lock = await acquireHostLock(dataDir);
  if (options.startFresh) {
    const aside = startFreshIfUnrecognized(dataDir);
    options.say(
      aside
        ? `Started fresh: the old store, runs/ and worktrees/ are in ${aside}\n`
        : `The store in ${dataDir} is recognized, so nothing was moved aside.\n`,
    );
  }
  const { version } = JSON.parse(readFileSync(path.join(outDir, '..', 'package.json'), 'utf8')) as { version: string };
  const core = createCore({
    dataDir,
    version,
    fixtureWorkerScript: path.join(outDir, 'fixture-worker.cjs'),
    codexIssuer: options.codexIssuer,
    log: options.log,
  });
  const host = await startWebSocketHost(core, { port: options.port, staticDir: path.join(outDir, 'renderer') });
  writeHostFile(dataDir, { url: `ws://127.0.0.1:${host.port}/ws`, token: host.token });
  return { dataDir, core, host, lock };
}

/** `--stop-workers`: a headless host that is told to stop (SIGINT, SIGTERM) stops its workers too. */
export const STOP_WORKERS_FLAG = '--stop-workers';

/** What a headless host does with running workers when it stops: by default they keep running. */
export function workerFateOf(argv: readonly string[]): WorkerFate {
  return argv.includes(STOP_WORKERS_FLAG) ? 'stop' : 'keep';
}

/**
 * Stops a headless host: the socket, then the core (keeping or stopping its workers), host.json and
 * the lock. Returns the line that tells the owner what became of the workers.
 */
export async function stopHeadlessHost(started: HeadlessHost, workers: WorkerFate): Promise<string> {
  const live = started.core.liveWorkers();
  await started.host.close();
  await started.core.close({ workers });
  removeHostFile(started.dataDir);
  await started.lock.release();
  if (live === 0) return 'Stopped.\n';
  const them = live === 1 ? '1 worker' : `${live} workers`;
  return workers === 'keep'
    ? `Stopped. ${them} keep running in the background; the next start re-adopts them (${STOP_WORKERS_FLAG} stops them instead).\n`
    : `Stopped, and stopped ${them}.\n`;
}
