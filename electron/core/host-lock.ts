import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FleetError } from '../../shared/errors';
import { ensureOwnDataDir, OWNER_ONLY_DIR, OWNER_ONLY_FILE } from './store/owner-only';

/** The socket a running host listens on: the OS closes it when that process dies, even on kill -9. */
const LOCK_SOCKET = 'host.lock.sock';
/** Names the socket when it cannot live in the data dir, for whoever looks there for the lock. */
const LOCK_FILE = 'host.lock';
/** The longest socket path the kernel takes: sun_path holds 108 bytes on Linux and 104 on macOS, with the NUL. */
const SOCKET_PATH_MAX_BYTES = process.platform === 'darwin' ? 103 : 107;
/** Hex digits of the data dir's hash in a short socket's name: enough that two data dirs never meet. */
const SHORT_NAME_HASH_CHARS = 32;
/** What a running host writes for its clients; read here only to name it in the refusal. */
const HOST_FILE = 'host.json';

/** One host per data dir, held for as long as this process keeps it (or dies). */
export interface HostLock {
  release(): Promise<void>;
}

/**
 * Where the lock listens. Unix: a socket file in the data dir; when that path is longer than a socket
 * address may be, a short one named after the data dir's hash in a folder only this user can enter.
 * Windows has no socket files, so a named pipe named after the data dir stands in (the OS frees it
 * with its process too). Every host computes the same address from the same data dir.
 */
function lockAddress(dataDir: string): { address: string; namedByLockFile: boolean } {
  if (process.platform === 'win32') return { address: `\\\\.\\pipe\\khala-${path.resolve(dataDir).replace(/[^A-Za-z0-9]/g, '_')}`, namedByLockFile: false };
  const beside = path.join(dataDir, LOCK_SOCKET);
  if (Buffer.byteLength(beside) <= SOCKET_PATH_MAX_BYTES) return { address: beside, namedByLockFile: false };
  // The real path, so two spellings of one data dir (a link, a trailing slash) share one lock.
  const name = `${createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, SHORT_NAME_HASH_CHARS)}.sock`;
  return { address: path.join(privateSocketDir(), name), namedByLockFile: true };
}

/**
 * The folder short lock sockets live in: XDG_RUNTIME_DIR (the user's own), else a folder of this
 * user's in the temp dir, made owner-only. One another user made or could enter is refused, since
 * whoever can place a socket there could hold every lock.
 */
function privateSocketDir(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  const uid = process.getuid?.() ?? 0;
  const dir = runtime && path.isAbsolute(runtime) ? path.join(runtime, 'khala') : path.join(os.tmpdir(), `khala-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
  } catch (error) {
    throw new FleetError('host_unavailable', `The host lock's folder ${dir} could not be made (${(error as NodeJS.ErrnoException).code ?? 'an unknown error'}).`);
  }
  const stats = lstatSync(dir);
  if (!stats.isDirectory() || stats.uid !== uid || (stats.mode & 0o077) !== 0) {
    throw new FleetError('host_unavailable', `The host lock's folder ${dir} is not a folder only you can enter; remove it and start again.`);
  }
  return dir;
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
  const { address, namedByLockFile } = lockAddress(dataDir);
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
  const lockFile = path.join(dataDir, LOCK_FILE);
  if (namedByLockFile) writeFileSync(lockFile, `${address}\n`, { mode: OWNER_ONLY_FILE });
  return {
    release: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          if (namedByLockFile) rmSync(lockFile, { force: true });
          resolve();
        }),
      ),
  };
}
