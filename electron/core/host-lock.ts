import { readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FleetError } from '../../shared/errors';
import { ensureOwnDataDir } from './store/owner-only';

/** The socket a running host listens on: the OS closes it when that process dies, even on kill -9. */
const LOCK_SOCKET = 'host.lock.sock';
/** What a running host writes for its clients; read here only to name it in the refusal. */
const HOST_FILE = 'host.json';

/** One host per data dir, held for as long as this process keeps it (or dies). */
export interface HostLock {
  release(): Promise<void>;
}

/**
 * Where the lock listens. Unix: a socket file in the data dir. Windows has no socket files, so a
 * named pipe named after the data dir stands in (the OS frees it with its process too).
 */
function lockAddress(dataDir: string): string {
  if (process.platform === 'win32') return `\\\\.\\pipe\\khala-${path.resolve(dataDir).replace(/[^A-Za-z0-9]/g, '_')}`;
  return path.join(dataDir, LOCK_SOCKET);
}

function listen(address: string): Promise<net.Server | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      // A knocking host only learns that this one is alive; nothing is read from or written to it.
      socket.on('error', () => undefined);
      socket.destroy();
    });
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(address, () => {
      server.removeAllListeners('error');
      server.on('error', () => undefined);
      resolve(server);
    });
  });
}

/** Whether something answers on the address: a live host does; a dead one's socket file refuses. */
function answers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The running host as its host.json names it, or what is known without one. */
function describeRunning(dataDir: string): string {
  try {
    const info = JSON.parse(readFileSync(path.join(dataDir, HOST_FILE), 'utf8')) as { pid?: unknown; url?: unknown };
    const pid = typeof info.pid === 'number' ? `pid ${info.pid}` : 'pid unknown';
    const url = typeof info.url === 'string' ? `, ${info.url}` : '';
    return `(${pid}${url})`;
  } catch {
    return '(still starting: no host.json yet)';
  }
}

/**
 * Takes the data dir's host lock before anything else touches the data dir, or refuses with
 * `host_running` naming the host that has it. The desktop app and browser mode both take it.
 */
export async function acquireHostLock(dataDir: string): Promise<HostLock> {
  ensureOwnDataDir(dataDir);
  const address = lockAddress(dataDir);
  let result = await listen(address);
  if (!(result instanceof net.Server) && result.code === 'EADDRINUSE') {
    if (await answers(address)) {
      throw new FleetError(
        'host_running',
        `Khala Fleet Board is already running on ${dataDir} ${describeRunning(dataDir)}. Use that one, or quit it first.`,
      );
    }
    // Left by a host that died: nothing listens, so the file is only in the way.
    if (process.platform !== 'win32') rmSync(address, { force: true });
    result = await listen(address);
  }
  if (!(result instanceof net.Server)) {
    // Lost a race with another host starting at the same moment.
    if (result.code === 'EADDRINUSE') throw new FleetError('host_running', `Another Khala Fleet Board host is starting on ${dataDir}. Use that one, or quit it first.`);
    // The folder refuses sockets, or its path is longer than a socket address may be.
    throw new FleetError('host_unavailable', `The host lock ${address} could not be taken (${result.code ?? 'an unknown error'}).`);
  }
  const server = result;
  return {
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
