import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { OWNER_ONLY_DIR, OWNER_ONLY_FILE } from './owner-only';

export const BACKUPS_DIR = 'backups';
/** Enough to step back over a few upgrades without letting copies of the whole store pile up. */
export const BACKUPS_KEPT = 5;

const BACKUP_NAME = /^fleet-v(\d+)-(.+)\.sqlite$/;

export interface StoreBackup {
  file: string;
  /** The schema version the store had when it was copied. */
  version: number;
}

/** ISO time without the characters some file systems refuse; still sorts in time order. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/**
 * Copies the whole store, as one consistent snapshot, to backups/fleet-v<version>-<time>.sqlite
 * (owner-only), then keeps the newest BACKUPS_KEPT copies.
 */
export function backupStore(db: Database.Database, dataDir: string, version: number): string {
  const dir = path.join(dataDir, BACKUPS_DIR);
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
  const file = reserveFile(dir, `fleet-v${version}-${fileTimestamp()}`);
  db.prepare('VACUUM INTO ?').run(file);
  for (const old of listBackups(dataDir).slice(BACKUPS_KEPT)) rmSync(old.file, { force: true });
  return file;
}

/**
 * Creates an empty owner-only file under a fresh name (two copies within one millisecond get a
 * counter). VACUUM INTO accepts an empty file, so the copy is owner-only from its first byte.
 */
function reserveFile(dir: string, stem: string): string {
  for (let n = 0; ; n += 1) {
    const file = path.join(dir, `${stem}${n === 0 ? '' : `-${n}`}.sqlite`);
    try {
      writeFileSync(file, '', { mode: OWNER_ONLY_FILE, flag: 'wx' });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** The store's backups, newest first. */
export function listBackups(dataDir: string): StoreBackup[] {
  const dir = path.join(dataDir, BACKUPS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, match: BACKUP_NAME.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .sort((a, b) => (a.match[2]! < b.match[2]! ? 1 : a.match[2]! > b.match[2]! ? -1 : 0))
    .map(({ name, match }) => ({ file: path.join(dir, name), version: Number(match[1]) }));
}
