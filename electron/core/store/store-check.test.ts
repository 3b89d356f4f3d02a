import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { tempDir } from '../../test-support/temp-repo';
import { AssignmentStore } from '../assignments/assignment-store';
import { listBackups } from './backups';
import { DATABASE_FILE, openDatabase, schemaVersion } from './database';
import { migrations } from './migrations';
import { openCheckedStore, startFreshIfUnrecognized, STORE_ID_FILE } from './store-check';

/** Damaged copies of a real store tried by the fuzz test. */
const DAMAGED_STORE_RUNS = 150;

/** Where SQLite's file header keeps the page size and the page count (sqlite.org/fileformat.html). */
const SQLITE_PAGE_SIZE_OFFSET = 16;
const SQLITE_PAGE_COUNT_OFFSET = 28;

/** Every entry under the data dir with its kind, mode and content hash: what a refusal must leave alone. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const file = path.join(at, name);
      const stats = lstatSync(file);
      const rel = path.relative(dir, file);
      if (stats.isDirectory()) {
        out[rel] = `dir ${(stats.mode & 0o7777).toString(8)}`;
        walk(file);
      } else {
        out[rel] = `file ${(stats.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
      }
    }
  };
  walk(dir);
  return out;
}

function withoutBackups(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter(([name]) => name.split(path.sep)[0] !== 'backups'));
}

/** A data dir with a store (one work unit recorded), its marker, and a run's files. */
function usedDataDir(): string {
  const dir = tempDir();
  const db = openCheckedStore(dir);
  new AssignmentStore(db).createWorkUnit({ source: 'task', key: 'task-kept', title: 'kept' });
  db.close();
  mkdirSync(path.join(dir, 'runs', 'task-kept', 'asg-kept'), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, 'runs', 'task-kept', 'asg-kept', 'events.jsonl'), '{"type":"result"}\n', { mode: 0o600 });
  mkdirSync(path.join(dir, 'worktrees', 'asg-kept'), { recursive: true, mode: 0o700 });
  return dir;
}

/** Expects the store to be refused as unrecognized, and the data dir to be exactly as it was. */
function expectRefused(dir: string, message: RegExp): string {
  const before = snapshot(dir);
  let refusal: unknown;
  try {
    openCheckedStore(dir).close();
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toMatchObject({ code: 'store_unrecognized', message: expect.stringMatching(message) });
  expect(snapshot(dir)).toEqual(before);
  return (refusal as Error).message;
}

function markerOf(dir: string): string {
  return readFileSync(path.join(dir, STORE_ID_FILE), 'utf8').trim();
}

describe('the store check at start', () => {
  let harness: TestCore | undefined;
  afterEach(async () => {
    await harness?.core.close();
    harness = undefined;
  });

  it('creates a brand-new data dir normally, with an identity row and the same id in an owner-only marker', () => {
    const dir = path.join(tempDir(), 'fresh', 'data');
    const db = openCheckedStore(dir);
    const id = db.prepare('SELECT store_id FROM store_identity').pluck().get() as string;
    db.close();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(markerOf(dir)).toBe(id);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, STORE_ID_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, DATABASE_FILE)).mode & 0o777).toBe(0o600);
    // The next start recognizes it.
    openCheckedStore(dir).close();
    expect(markerOf(dir)).toBe(id);
  });

  it('refuses a zero-length store next to runs/, names the way back, and changes nothing', () => {
    const dir = usedDataDir();
    writeFileSync(path.join(dir, DATABASE_FILE), '');
    const message = expectRefused(dir, /fleet\.sqlite is empty, but runs\/ and worktrees\/ and store-id/);
    expect(message).toContain('--start-fresh');
    expect(message).toContain('git worktree prune');
    expect(statSync(path.join(dir, DATABASE_FILE)).size).toBe(0);
  });

  it('refuses a deleted store next to worktrees/ without creating a new one', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'worktrees', 'asg-orphan'), { recursive: true });
    expectRefused(dir, /fleet\.sqlite is missing, but worktrees\/ in the data dir belong to an earlier store/);
    expect(existsSync(path.join(dir, DATABASE_FILE))).toBe(false);
  });

  it('refuses a store replaced by another data dir\'s store', () => {
    const dir = usedDataDir();
    const other = usedDataDir();
    copyFileSync(path.join(other, DATABASE_FILE), path.join(dir, DATABASE_FILE));
    expectRefused(dir, /the file was replaced/);
  });

  it('refuses a file of garbage bytes, a real store with a page overwritten, and one that fails quick_check', () => {
    const garbage = usedDataDir();
    writeFileSync(path.join(garbage, DATABASE_FILE), Buffer.alloc(8192, 'not a database '));
    expectRefused(garbage, /is not a readable fleet store \(file is not a database\)/);

    const damaged = usedDataDir();
    const file = path.join(damaged, DATABASE_FILE);
    const db = openDatabase(damaged);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const rootPage = db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'schema_migrations'`).pluck().get() as number;
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0xa5, (rootPage - 1) * pageSize, rootPage * pageSize);
    writeFileSync(file, bytes);
    expectRefused(damaged, /is not a readable fleet store \(database disk image is malformed\)/);

    // A stray page the header counts but no table uses: SQLite reads it fine, only quick_check tells.
    const stray = usedDataDir();
    const strayFile = path.join(stray, DATABASE_FILE);
    const header = readFileSync(strayFile);
    header.writeUInt32BE(header.readUInt32BE(SQLITE_PAGE_COUNT_OFFSET) + 1, SQLITE_PAGE_COUNT_OFFSET);
    writeFileSync(strayFile, Buffer.concat([header, Buffer.alloc(header.readUInt16BE(SQLITE_PAGE_SIZE_OFFSET))]));
    expectRefused(stray, /fails SQLite's integrity check \(\*\*\* in database main \*\*\* Page \d+: never used\)/);
  });

  it('refuses a store whose schema is newer than this build (a downgrade)', () => {
    const dir = usedDataDir();
    const db = openDatabase(dir);
    db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from_the_future', '')`).run();
    db.close();
    expectRefused(dir, new RegExp(`schema version 99, newer than this build knows \\(${migrations.at(-1)!.version}\\)`));
  });

  it('refuses a store that passes the check but cannot be migrated, leaving the store as it was', () => {
    const dir = usedDataDir();
    const db = openDatabase(dir);
    // Migration 3's record is lost, so it would run again over tables it already made.
    db.prepare('DELETE FROM schema_migrations WHERE version = 3').run();
    db.close();
    const store = snapshot(dir);
    expect(() => openCheckedStore(dir)).toThrow(
      expect.objectContaining({ code: 'store_unrecognized', message: expect.stringMatching(/could not be brought up to date \(duplicate column name/) }),
    );
    const after = snapshot(dir);
    expect(withoutBackups(after)).toEqual(store);
    expect(listBackups(dir).map((b) => b.version)).toEqual([migrations.at(-1)!.version]);
  });

  it('adopts a store made before identity rows: identity row and marker written, no refusal', () => {
    const dir = tempDir();
    const old = openDatabase(dir, migrations.slice(0, 4));
    new AssignmentStore(old).createWorkUnit({ source: 'task', key: 'task-old', title: 'old' });
    old.close();
    mkdirSync(path.join(dir, 'runs', 'task-old'), { recursive: true });
    const db = openCheckedStore(dir);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    const id = db.prepare('SELECT store_id FROM store_identity').pluck().get();
    expect(db.prepare(`SELECT COUNT(*) FROM work_units WHERE key = 'task-old'`).pluck().get()).toBe(1);
    db.close();
    expect(markerOf(dir)).toBe(id);
    expect(listBackups(dir).map((b) => b.version)).toEqual([4]);
  });

  it('takes the marker\'s id back into a store whose identity row was lost, and writes a marker when both are gone', () => {
    const dir = usedDataDir();
    const id = markerOf(dir);
    const lose = () => {
      const db = openDatabase(dir);
      db.prepare('DELETE FROM store_identity').run();
      db.close();
    };
    lose();
    const kept = openCheckedStore(dir);
    expect(kept.prepare('SELECT store_id FROM store_identity').pluck().all()).toEqual([id]);
    kept.close();

    lose();
    rmSync(path.join(dir, STORE_ID_FILE));
    const renamed = openCheckedStore(dir);
    const fresh = renamed.prepare('SELECT store_id FROM store_identity').pluck().get();
    renamed.close();
    expect(fresh).toMatch(/^[0-9a-f]{32}$/);
    expect(markerOf(dir)).toBe(fresh);
  });

  it('names the newest backup in the refusal, and restoring it with that command starts the same store', () => {
    const dir = tempDir();
    const old = openDatabase(dir, migrations.slice(0, 4));
    new AssignmentStore(old).createWorkUnit({ source: 'task', key: 'task-restored', title: 'restored' });
    old.close();
    openCheckedStore(dir).close();
    const id = markerOf(dir);
    mkdirSync(path.join(dir, 'runs', 'task-restored'), { recursive: true });
    writeFileSync(path.join(dir, DATABASE_FILE), '');

    const message = expectRefused(dir, /restore the newest backup with/);
    const [backup] = listBackups(dir);
    expect(message).toContain(backup!.file);
    copyFileSync(backup!.file, path.join(dir, DATABASE_FILE));
    const db = openCheckedStore(dir);
    expect(db.prepare('SELECT store_id FROM store_identity').pluck().get()).toBe(id);
    expect(db.prepare(`SELECT COUNT(*) FROM work_units WHERE key = 'task-restored'`).pluck().get()).toBe(1);
    db.close();
    expect(markerOf(dir)).toBe(id);
  });

  it('starts fresh after moving the store, runs/ and worktrees/ aside, keeping accounts and secrets', async () => {
    const dir = usedDataDir();
    const oldId = markerOf(dir);
    mkdirSync(path.join(dir, 'accounts', 'codex', 'codex'), { recursive: true, mode: 0o700 });
    writeFileSync(path.join(dir, 'secrets.json'), '{}', { mode: 0o600 });
    // A recognized store is never moved, even when the owner asks to start fresh.
    const healthy = snapshot(dir);
    expect(startFreshIfUnrecognized(dir)).toBeNull();
    expect(snapshot(dir)).toEqual(healthy);
    writeFileSync(path.join(dir, DATABASE_FILE), '');
    expectRefused(dir, /is empty/);

    const aside = startFreshIfUnrecognized(dir)!;
    expect(path.dirname(aside)).toBe(dir);
    expect(path.basename(aside)).toMatch(/^aside-/);
    expect(statSync(aside).mode & 0o777).toBe(0o700);
    expect(readdirSync(aside).sort()).toEqual([DATABASE_FILE, 'runs', STORE_ID_FILE, 'worktrees'].sort());
    expect(existsSync(path.join(aside, 'runs', 'task-kept', 'asg-kept', 'events.jsonl'))).toBe(true);
    expect(existsSync(path.join(dir, 'accounts', 'codex', 'codex'))).toBe(true);
    expect(existsSync(path.join(dir, 'secrets.json'))).toBe(true);

    harness = startTestCore({ dataDir: dir });
    expect((await harness.invoke('host.info', {})).dataDir).toBe(dir);
    expect(markerOf(dir)).not.toBe(oldId);
  });

  it(`never starts on, or crashes at, a damaged store: typed refusal with nothing changed, or a store that still checks out (${DAMAGED_STORE_RUNS} damaged copies)`, () => {
    const original = usedDataDir();
    const pristine = readFileSync(path.join(original, DATABASE_FILE));
    const dir = usedDataDir();
    const file = path.join(dir, DATABASE_FILE);
    const outcomes = { refused: 0, accepted: 0 };
    const damage = fc.record({
      writes: fc.array(fc.record({ at: fc.nat({ max: pristine.length - 1 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }), { minLength: 1, maxLength: 8 }),
      cut: fc.option(fc.nat({ max: pristine.length }), { nil: undefined }),
    });
    fc.assert(
      fc.property(damage, ({ writes, cut }) => {
        rmSync(`${file}-wal`, { force: true });
        rmSync(`${file}-shm`, { force: true });
        rmSync(path.join(dir, 'backups'), { recursive: true, force: true });
        writeFileSync(path.join(dir, STORE_ID_FILE), `${markerOf(original)}\n`);
        const bytes = Buffer.from(pristine);
        for (const { at, bytes: patch } of writes) bytes.set(patch.subarray(0, bytes.length - at), at);
        writeFileSync(file, cut === undefined ? bytes : bytes.subarray(0, cut));
        const before = withoutBackups(snapshot(dir));
        try {
          const db = openCheckedStore(dir);
          db.prepare('SELECT COUNT(*) FROM work_units').get();
          db.close();
          outcomes.accepted += 1;
        } catch (error) {
          expect(error).toMatchObject({ code: 'store_unrecognized' });
          // A store whose damage only shows when it is migrated is copied to backups/ first; nothing else changes.
          expect(withoutBackups(snapshot(dir))).toEqual(before);
          outcomes.refused += 1;
        }
      }),
      { numRuns: DAMAGED_STORE_RUNS },
    );
    console.log(`damaged stores: ${DAMAGED_STORE_RUNS} tried, ${outcomes.refused} refused with nothing changed, ${outcomes.accepted} still checked out`);
    expect(outcomes.refused + outcomes.accepted).toBe(DAMAGED_STORE_RUNS);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});
