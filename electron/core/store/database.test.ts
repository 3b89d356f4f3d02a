import { copyFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-repo';
import { claimUnit, releaseClaim } from '../claims/claims';
import { AssignmentStore } from '../assignments/assignment-store';
import { BACKUPS_KEPT, backupStore, listBackups } from './backups';
import { applyMigrations, DATABASE_FILE, openDatabase, schemaVersion, type Db } from './database';
import { migrations } from './migrations';

/** A claimed work unit with one assignment, as the task service would record it. */
function seedAssignment(db: Db, id: string) {
  const store = new AssignmentStore(db);
  const unit = store.createWorkUnit({ source: 'task', key: `task-${id}`, title: id });
  const claimId = claimUnit(db, { workUnitId: unit, holder: id, runId: null });
  store.insert({
    id, workUnitId: unit, claimId, runId: null, taskRef: `task-${id}`, workerKind: 'fixture', accountRef: 'fixture',
    prompt: 'p', repoPath: '/r', branch: 'b', commit: 'c', worktreePath: '/w', verifyCommand: 'true', options: {},
    paymentMode: 'no-spend', payoutClaimAllowed: false, leaseExpiresAt: new Date().toISOString(),
    workerType: 'code-run', model: null, retryOf: null,
  });
  return store;
}

describe('the store', () => {
  it('opens in WAL mode and applies each migration once, in order', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'foundation' },
      { version: 2, name: 'accounts' },
      { version: 3, name: 'real_workers' },
      { version: 4, name: 'fleet_runs' },
      { version: 5, name: 'store_identity' },
      { version: 6, name: 'dag_assignments' },
      { version: 7, name: 'dag_fleets' },
      { version: 8, name: 'usage_meters' },
      { version: 9, name: 'detached_workers' },
      { version: 10, name: 'spawn_requests' },
      { version: 11, name: 'review' },
      { version: 13, name: 'recent_repositories' },
      { version: 14, name: 'scale_indexes' },
    ]);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['accounts', 'work_units', 'claims', 'fleet_runs', 'assignments', 'assignment_events', 'token_usage_rows', 'inbox_items', 'fleets', 'fleet_workers', 'fleet_feed']),
    );
    db.close();
    const again = openDatabase(dir);
    expect(again.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
    again.close();
  });

  it('rolls a failing migration back whole and applies later ones in version order', () => {
    const db = openDatabase(tempDir());
    expect(() =>
      applyMigrations(db, [
        { version: 901, name: 'later', sql: 'CREATE TABLE third (id INTEGER);' },
        { version: 900, name: 'broken', sql: 'CREATE TABLE half (id INTEGER); THIS IS NOT SQL;' },
      ]),
    ).toThrow();
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('half', 'third')`).pluck().all();
    expect(tables).toEqual([]);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(migrations.map((m) => m.version));
    db.close();
  });

  it('allows at most one live claim per work unit, in the database itself', () => {
    const db = openDatabase(tempDir());
    const store = new AssignmentStore(db);
    const unit = store.createWorkUnit({ source: 'task', key: 'task-1', title: 'one' });
    const first = claimUnit(db, { workUnitId: unit, holder: 'a', runId: null });
    expect(() => claimUnit(db, { workUnitId: unit, holder: 'b', runId: null })).toThrow(
      expect.objectContaining({ code: 'already_claimed' }),
    );
    expect(() =>
      db.prepare(`INSERT INTO claims (id, work_unit_id, holder, state, claimed_at, expires_at, heartbeat_at) VALUES ('x', ?, 'raw', 'in_progress', '', '', '')`).run(unit),
    ).toThrow(/UNIQUE/);
    releaseClaim(db, first, 'done');
    expect(() => claimUnit(db, { workUnitId: unit, holder: 'c', runId: null })).not.toThrow();
    db.close();
  });

  it('keeps lifecycle events append-only and numbered per assignment', () => {
    const db = openDatabase(tempDir());
    const store = seedAssignment(db, 'asg-1');
    expect(store.appendEvent('asg-1', 'accepted', 'a').seq).toBe(0);
    expect(store.appendEvent('asg-1', 'runtime_started', 'b').seq).toBe(1);
    expect(() => db.prepare(`UPDATE assignment_events SET summary = 'rewritten'`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM assignment_events').run()).toThrow(/append-only/);
    expect(store.events('asg-1').map((e) => e.summary)).toEqual(['a', 'b']);
    db.close();
  });

  it('never counts a replayed token row twice', () => {
    const db = openDatabase(tempDir());
    const store = seedAssignment(db, 'asg-3');
    const row = {
      idempotencyKey: 'asg-3:s:turn-0', observedAt: new Date().toISOString(), accountRef: 'fixture', runRef: null, sessionRef: 's',
      taskRef: 'asg-3', repositoryRef: '/r', provider: 'fixture', model: 'fixture', input: 1, output: 2, reasoning: 3,
      cacheRead: 4, cacheWrite: 5, costAmount: null, currency: null,
    };
    expect(store.insertTokenRow(row)).toBe(true);
    expect(store.insertTokenRow(row)).toBe(false);
    expect(store.tokenTotals('asg-3')).toEqual({ rows: 1, total: 15 });
    db.close();
  });

  it('copies a store with data to backups/ before migrating it, owner-only, and the copy restores', () => {
    const dir = tempDir();
    const old = openDatabase(dir, migrations.slice(0, 4));
    // A work unit: its columns are the same in every schema, so it is written the same way into this old one.
    new AssignmentStore(old).createWorkUnit({ source: 'task', key: 'task-before-upgrade', title: 'before the upgrade' });
    old.close();
    expect(listBackups(dir)).toEqual([]);

    const upgraded = openDatabase(dir);
    expect(schemaVersion(upgraded)).toBe(migrations.at(-1)!.version);
    upgraded.close();
    const [backup, ...others] = listBackups(dir);
    expect(others).toEqual([]);
    expect(backup!.version).toBe(4);
    expect(path.basename(backup!.file)).toMatch(/^fleet-v4-\d{4}-\d\d-\d\dT[\d-]+Z\.sqlite$/);
    expect(statSync(backup!.file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(backup!.file)).mode & 0o777).toBe(0o700);
    // Opening an up-to-date store migrates nothing, so it makes no copy.
    openDatabase(dir).close();
    expect(listBackups(dir)).toHaveLength(1);

    // Restore: the copy replaces the store, and the store is as it was before the upgrade.
    const target = path.join(dir, DATABASE_FILE);
    rmSync(`${target}-wal`, { force: true });
    rmSync(`${target}-shm`, { force: true });
    copyFileSync(backup!.file, target);
    const restored = openDatabase(dir, migrations.slice(0, 4));
    expect(schemaVersion(restored)).toBe(4);
    expect(restored.prepare(`SELECT title FROM work_units WHERE key = 'task-before-upgrade'`).pluck().get()).toBe('before the upgrade');
    restored.close();
  });

  it('makes no backup for a new store, and keeps only the newest copies', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    expect(readdirSync(dir)).not.toContain('backups');
    const made = Array.from({ length: BACKUPS_KEPT + 2 }, () => backupStore(db, dir, 5));
    db.close();
    expect(new Set(made).size).toBe(BACKUPS_KEPT + 2);
    expect(listBackups(dir).map((b) => b.file)).toEqual(made.slice(-BACKUPS_KEPT).reverse());
  });
});
