import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../../../shared/errors';
import { fileTimestamp, listBackups } from './backups';
import { DATABASE_FILE, openDatabase, schemaVersion, type Db } from './database';
import { migrations } from './migrations';
import { ensureOwnDataDir, OWNER_ONLY_DIR, OWNER_ONLY_FILE, tightenDataDir } from './owner-only';

/** The owner-only marker that names the data dir's store; it outlives a deleted or emptied fleet.sqlite. */
export const STORE_ID_FILE = 'store-id';
/** 128 random bits: no two stores share an id by chance. */
const STORE_ID_BYTES = 16;
/** How much of SQLite's error text a refusal repeats. */
const REASON_MAX_CHARS = 80;
/** Folders whose entries belong to a store's assignments: with no store beside them they would be orphaned. */
const STORE_FOLDERS = ['runs', 'worktrees'];
/** What "start fresh" moves aside: the store with its journal files, its marker, and what its rows point at. Accounts, secrets and backups stay. */
const STORE_ENTRIES = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-journal`, STORE_ID_FILE, ...STORE_FOLDERS];

export type StoreCheck =
  | { kind: 'new' }
  /** `storeId` is null for a store made before identity rows (it is adopted). */
  | { kind: 'existing'; version: number; storeId: string | null };

/**
 * Decides, without writing anything, whether the data dir's fleet.sqlite is the store this data dir's
 * runs and worktrees belong to. Refuses with `store_unrecognized` (and the way back) rather than let
 * the host start on an empty or foreign board.
 */
export function checkStore(dataDir: string): StoreCheck {
  const knownVersion = latestVersion();
  const file = path.join(dataDir, DATABASE_FILE);
  const marker = readMarker(dataDir);
  const leftovers = STORE_FOLDERS.filter((name) => hasEntries(path.join(dataDir, name)));
  const inspected = hasBytes(file) ? inspect(file, dataDir) : null;
  // A SQLite file with no fleet schema is as empty as a zero-length one.
  if (!inspected || inspected.version === 0) {
    if (marker === null && leftovers.length === 0) return { kind: 'new' };
    const state = existsSync(file) ? 'empty' : 'missing';
    const beside = [...leftovers.map((name) => `${name}/`), ...(marker === null ? [] : [STORE_ID_FILE])].join(' and ');
    throw refusal(dataDir, `${file} is ${state}, but ${beside} in the data dir belong to an earlier store`);
  }
  if (inspected.version > knownVersion) {
    throw refusal(
      dataDir,
      `${file} has schema version ${inspected.version}, newer than this build knows (${knownVersion}): it was made by a later version of the app. Run that version`,
    );
  }
  if (marker !== null && inspected.storeId !== null && inspected.storeId !== marker) {
    throw refusal(dataDir, `${file} is store ${inspected.storeId.slice(0, 8)}…, but this data dir's store is ${marker.slice(0, 8)}…: the file was replaced`);
  }
  return { kind: 'existing', version: inspected.version, storeId: inspected.storeId };
}

/**
 * Checks the data dir and opens its store, in the order that keeps a refusal from changing anything:
 * ownership, then the store check (read-only), then tightening, then open and migrate (with a backup).
 * The store's id is then written to the marker, or a pre-identity store takes the marker's id.
 */
export function openCheckedStore(dataDir: string): Db {
  ensureOwnDataDir(dataDir);
  const check = checkStore(dataDir);
  tightenDataDir(dataDir);
  let db: Db;
  try {
    db = openDatabase(dataDir);
  } catch (error) {
    // A store that passed the check but cannot be migrated (its migration rolled back) is refused the same way.
    if (error instanceof FleetError) throw error;
    throw refusal(dataDir, `${path.join(dataDir, DATABASE_FILE)} could not be brought up to date (${shortReason(error)})`);
  }
  try {
    bindMarker(db, dataDir, check);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Start fresh: moves the store, its marker, runs/ and worktrees/ into aside-<time>/ inside the data
 * dir, so the next start makes a new store. Accounts, secrets and backups stay where they are.
 * Returns the folder the old data went to.
 */
function moveStoreAside(dataDir: string): string {
  const aside = path.join(dataDir, `aside-${fileTimestamp()}`);
  mkdirSync(aside, { recursive: true, mode: OWNER_ONLY_DIR });
  for (const name of STORE_ENTRIES) {
    const from = path.join(dataDir, name);
    if (existsSync(from)) renameSync(from, path.join(aside, name));
  }
  return aside;
}

/**
 * The owner's "start fresh" choice: only when the store check refuses the store is the old data moved
 * aside (so a flag left in a script never hides a healthy board). Returns where it went, or null.
 */
export function startFreshIfUnrecognized(dataDir: string): string | null {
  ensureOwnDataDir(dataDir);
  try {
    checkStore(dataDir);
    return null;
  } catch (error) {
    if (!(error instanceof FleetError) || error.code !== 'store_unrecognized') throw error;
    return moveStoreAside(dataDir);
  }
}

function latestVersion(): number {
  return Math.max(...migrations.map((migration) => migration.version));
}

function bindMarker(db: Db, dataDir: string, check: StoreCheck): void {
  const marker = readMarker(dataDir);
  // A store from before identity rows (or one whose row was lost) cannot say whose it is; the marker that survived it can.
  const id = check.kind === 'existing' && check.storeId === null ? (marker ?? newStoreId()) : currentStoreId(db);
  db.prepare(
    `INSERT INTO store_identity (singleton, store_id, created_at) VALUES (1, ?, ?)
     ON CONFLICT (singleton) DO UPDATE SET store_id = excluded.store_id`,
  ).run(id, new Date().toISOString());
  if (marker === id) return;
  // Written beside and renamed over, so two hosts starting on one new data dir cannot trip on each other.
  const file = path.join(dataDir, STORE_ID_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  writeFileSync(temp, `${id}\n`, { mode: OWNER_ONLY_FILE, flag: 'wx' });
  renameSync(temp, file);
}

function currentStoreId(db: Db): string {
  return (db.prepare('SELECT store_id FROM store_identity WHERE singleton = 1').pluck().get() as string | undefined) ?? newStoreId();
}

/** The same shape migration 5 gives: 16 random bytes in hex. */
function newStoreId(): string {
  return randomBytes(STORE_ID_BYTES).toString('hex');
}

interface Inspected {
  version: number;
  storeId: string | null;
}

/** Opens the file without creating or migrating anything, and reads its integrity, version and id. */
function inspect(file: string, dataDir: string): Inspected {
  let db: Db | null = null;
  try {
    // Read-write, so closing removes the -wal and -shm files this open makes; nothing is written.
    db = new Database(file, { fileMustExist: true });
    const problems = db.pragma('quick_check') as Array<{ quick_check: string }>;
    if (problems.length !== 1 || problems[0]!.quick_check !== 'ok') {
      throw refusal(dataDir, `${file} fails SQLite's integrity check (${problems[0]?.quick_check.replace(/\s+/g, ' ').slice(0, REASON_MAX_CHARS) ?? 'no answer'})`);
    }
    const version = schemaVersion(db);
    if (!Number.isSafeInteger(version)) throw refusal(dataDir, `${file} has an unreadable schema version`);
    const identity = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_identity'`).get();
    const storeId = identity
      ? ((db.prepare('SELECT store_id FROM store_identity WHERE singleton = 1').pluck().get() as string | undefined) ?? null)
      : null;
    return { version, storeId };
  } catch (error) {
    if (error instanceof FleetError) throw error;
    throw refusal(dataDir, `${file} is not a readable fleet store (${shortReason(error)})`);
  } finally {
    db?.close();
  }
}

function refusal(dataDir: string, problem: string): FleetError {
  const newest = listBackups(dataDir)[0];
  const target = path.join(dataDir, DATABASE_FILE);
  const restore = newest
    ? `restore the newest backup with: rm -f "${target}-wal" "${target}-shm" && cp "${newest.file}" "${target}"`
    : 'restore fleet.sqlite from a copy of your own (there is no backup in backups/)';
  return new FleetError(
    'store_unrecognized',
    `The board did not start: ${problem}. The store, runs/ and worktrees/ were left as they were. To recover, either ${restore}; ` +
      `or start fresh: the old store, runs/ and worktrees/ move to an aside-<time>/ folder in the data dir and a new board starts ` +
      `(desktop: choose Start fresh; browser mode: npm run web -- --start-fresh). Worktrees moved aside stay registered in their ` +
      `repositories until you run git worktree prune there.`,
  );
}

/** SQLite's own words for what went wrong, cut short: enough to search for, never a wall of text. */
function shortReason(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, REASON_MAX_CHARS) : 'unreadable';
}

function readMarker(dataDir: string): string | null {
  try {
    return readFileSync(path.join(dataDir, STORE_ID_FILE), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function hasBytes(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

function hasEntries(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}
