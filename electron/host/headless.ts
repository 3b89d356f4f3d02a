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
import { readHostFile, writeHostFile } from './host-file';
import { HOST_TOKEN_PATTERN, startWebSocketHost, type WebSocketHost } from './ws';

export interface HeadlessHostOptions {
  dataDir: string;
  /** The folder of the built bundles (out/): fixture-worker.cjs and renderer/ live there, package.json one up. */
  outDir: string;
  /** 0 picks a free port. */
  port: number;
  /** The owner's answer to a refused store: move the old data aside first (see the store check). */
  startFresh: boolean;
  codexIssuer: string | null;
  /** `--rotate-token`: a new token, so every board URL handed out before stops working. */
  rotateToken?: boolean;
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
  const host = await listenAgain(core, options, path.join(outDir, 'renderer'));
  writeHostFile(dataDir, { url: `ws://127.0.0.1:${host.port}/ws`, token: host.token });
  return { dataDir, core, host, lock };
}

/** `--rotate-token`: the owner hands out a new board URL; the old one is refused from now on. */
export const ROTATE_TOKEN_FLAG = '--rotate-token';

/**
 * The board URL stays the same across restarts: the token and (unless a port was asked for) the
 * port from host.json are used again, so a reload of an open board reaches the new host. A port
 * another program took since is given up for a free one.
 */
async function listenAgain(core: Core, options: HeadlessHostOptions, staticDir: string): Promise<WebSocketHost> {
  const previous = options.rotateToken ? null : readHostFile(options.dataDir, HOST_TOKEN_PATTERN);
  const token = previous?.token;
  if (options.port === 0 && previous) {
    try {
      return await startWebSocketHost(core, { port: previous.port, staticDir, token });
    } catch (error) {
      options.say(`Port ${previous.port} of the last start is taken (${error instanceof Error ? error.message : String(error)}); using a free one, so open the new URL below.\n`);
    }
  }
  return startWebSocketHost(core, { port: options.port, staticDir, token });
}

/** `--stop-workers`: a headless host that is told to stop (SIGINT, SIGTERM) stops its workers too. */
export const STOP_WORKERS_FLAG = '--stop-workers';

/** What a headless host does with running workers when it stops: by default they keep running. */
export function workerFateOf(argv: readonly string[]): WorkerFate {
  return argv.includes(STOP_WORKERS_FLAG) ? 'stop' : 'keep';
}

/**
 * Stops a headless host: the socket, then the core (keeping or stopping its workers), and the lock;
 * host.json is kept for the next start. Returns the line that tells the owner what became of the workers.
 */
export async function stopHeadlessHost(started: HeadlessHost, workers: WorkerFate): Promise<string> {
  const live = started.core.liveWorkers();
  await started.host.close();
  await started.core.close({ workers });
  // host.json stays: it keeps the token (and port) for the next start, and the CLI tells a stopped host by its refused port.
  await started.lock.release();
  if (live === 0) return 'Stopped.\n';
  const them = live === 1 ? '1 worker' : `${live} workers`;
  return workers === 'keep'
    ? `Stopped. ${them} keep running in the background; the next start re-adopts them (${STOP_WORKERS_FLAG} stops them instead).\n`
    : `Stopped, and stopped ${them}.\n`;
}
