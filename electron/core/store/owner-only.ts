import { chmodSync, lstatSync, mkdirSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../../../shared/errors';

/** Owner read/write/search only: the data dir and every folder the host makes in it. */
export const OWNER_ONLY_DIR = 0o700;
/** Owner read/write only: every file the host writes in the data dir. */
export const OWNER_ONLY_FILE = 0o600;
/** The group and other permission bits, which nothing in the data dir may carry. */
const GROUP_OTHER_BITS = 0o077;

/** Top-level files the host keeps in the data dir (the store, its journal files, secrets, markers). */
const DATA_FILES = [
  'fleet.sqlite',
  'fleet.sqlite-wal',
  'fleet.sqlite-shm',
  'fleet.sqlite-journal',
  'secrets.json',
  'host.json',
  'store-id',
  'supervisor.lock',
];
/** Folders whose whole tree is the host's own: run logs, transcripts, private homes, backups. */
const TREES = ['runs', 'backups'];
/** Folders tightened at the top only: worktrees are git checkouts and homes belong to the CLIs, both shielded by the 0700 folder above them. */
const TOPS = ['worktrees', 'accounts'];

/**
 * Makes the data dir (owner-only) if it is missing, and refuses one that another user owns: a host
 * that stored its secrets in someone else's folder would hand them over.
 */
export function ensureOwnDataDir(dataDir: string): void {
  let stats: Stats;
  try {
    mkdirSync(dataDir, { recursive: true, mode: OWNER_ONLY_DIR });
    // Followed if it is a link: an owner may keep the data dir elsewhere; what counts is the folder itself.
    stats = statSync(dataDir);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'an unknown error';
    throw new FleetError('data_dir_insecure', `The data dir ${dataDir} cannot be made or read (${reason}). Point KHALA_HOME at a folder you own.`);
  }
  if (!stats.isDirectory()) {
    throw new FleetError('data_dir_insecure', `The data dir ${dataDir} is not a folder. Point KHALA_HOME at a folder you own.`);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new FleetError(
      'data_dir_insecure',
      `The data dir ${dataDir} belongs to another user (uid ${stats.uid}), so anything stored there could be read or replaced by them. ` +
        `Use a data dir you own (set KHALA_HOME), or take it over with: chown -R ${uid} "${dataDir}"`,
    );
  }
}

/**
 * Takes group and other permissions off the data dir and what the host keeps in it, as ssh does with
 * ~/.ssh. Owner bits stay as they are; symbolic links are left alone (chmod would follow them out).
 */
export function tightenDataDir(dataDir: string): void {
  tighten(realpathSync(dataDir));
  for (const name of DATA_FILES) tighten(path.join(dataDir, name));
  for (const name of TREES) tightenTree(path.join(dataDir, name));
  for (const name of TOPS) tighten(path.join(dataDir, name));
}

function tightenTree(dir: string): void {
  const stats = tighten(dir);
  if (!stats?.isDirectory()) return;
  for (const entry of readdirSync(dir)) tightenTree(path.join(dir, entry));
}

/** Returns the entry's stats, or null when it does not exist. */
function tighten(file: string): Stats | null {
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw insecure(file, error);
  }
  if (stats.isSymbolicLink() || (stats.mode & GROUP_OTHER_BITS) === 0) return stats;
  try {
    chmodSync(file, stats.mode & ~GROUP_OTHER_BITS & 0o7777);
  } catch (error) {
    throw insecure(file, error);
  }
  return stats;
}

function insecure(file: string, error: unknown): FleetError {
  const reason = (error as NodeJS.ErrnoException).code ?? 'an unknown error';
  return new FleetError(
    'data_dir_insecure',
    `${file} is readable by other users and could not be made owner-only (${reason}). Fix it with: chmod go-rwx "${file}"`,
  );
}
