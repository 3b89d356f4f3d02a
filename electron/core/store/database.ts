import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { backupStore } from './backups';
import { migrations as allMigrations, type Migration } from './migrations';
import { OWNER_ONLY_DIR, OWNER_ONLY_FILE } from './owner-only';

export type Db = Database.Database;

export const DATABASE_FILE = 'fleet.sqlite';

/** Waiting this long on a lock held by another process beats failing a claim outright. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) the fleet database in WAL mode and brings its schema up to date. A
 * store that already has a schema is copied to backups/ before any pending migration runs.
 */
export function openDatabase(dataDir: string, migrations: readonly Migration[] = allMigrations): Db {
  mkdirSync(dataDir, { recursive: true, mode: OWNER_ONLY_DIR });
  const file = path.join(dataDir, DATABASE_FILE);
  createOwnerOnly(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode and ten times faster than FULL here.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const from = schemaVersion(db);
    if (from > 0 && pendingMigrations(db, migrations).length > 0) backupStore(db, dataDir, from);
    applyMigrations(db, migrations);
  } catch (error) {
    // Closed here, so a store that cannot be opened or migrated leaves no open handle and no -wal/-shm behind.
    db.close();
    throw error;
  }
  return db;
}

/**
 * SQLite gives the -wal and -shm files the database file's own mode, so an owner-only empty file
 * made first (SQLite takes an empty file as an empty database) keeps all three owner-only.
 */
function createOwnerOnly(file: string): void {
  try {
    writeFileSync(file, '', { mode: OWNER_ONLY_FILE, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** The highest migration applied, or 0 for a store with no schema yet. */
export function schemaVersion(db: Db): number {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
  if (!table) return 0;
  return (db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
}

function pendingMigrations(db: Db, migrations: readonly Migration[]): Migration[] {
  const applied = new Set(appliedVersions(db));
  return migrations.filter((migration) => !applied.has(migration.version));
}

function appliedVersions(db: Db): number[] {
  if (schemaVersion(db) === 0) return [];
  return db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[];
}

export function applyMigrations(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(appliedVersions(db));
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  for (const migration of ordered) {
    if (applied.has(migration.version)) continue;
    // IMMEDIATE takes the write lock first, so two processes opening one file cannot both migrate.
    db.transaction(() => {
      const again = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (again) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
}
