import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-repo';
import { openDatabase } from './database';
import { prepared, STATEMENT_CACHE_MAX } from './statements';

describe('the statement cache', () => {
  it('returns the one statement prepared for a SQL text on a connection, and another on another connection', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const other = openDatabase(dir);
    const sql = 'SELECT version FROM schema_migrations WHERE version = ?';
    const first = prepared(db, sql);
    expect(prepared(db, sql)).toBe(first);
    expect(prepared(other, sql)).not.toBe(first);
    expect(prepared(db, sql).get(1)).toEqual({ version: 1 });
    db.close();
    other.close();
  });

  it("gives a reading statement back with pluck off, so one caller's pluck does not change another's rows", () => {
    const db = openDatabase(tempDir());
    const sql = 'SELECT version FROM schema_migrations WHERE version = ?';
    expect(prepared(db, sql).pluck().get(1)).toBe(1);
    expect(prepared(db, sql).get(1)).toEqual({ version: 1 });
    db.close();
  });

  it('keeps at most its bound of statements, dropping the oldest', () => {
    const db = openDatabase(tempDir());
    const oldest = prepared(db, 'SELECT 0');
    for (let i = 1; i <= STATEMENT_CACHE_MAX; i += 1) prepared(db, `SELECT ${i}`);
    expect(prepared(db, `SELECT ${STATEMENT_CACHE_MAX}`)).toBe(prepared(db, `SELECT ${STATEMENT_CACHE_MAX}`));
    expect(prepared(db, 'SELECT 0')).not.toBe(oldest);
    db.close();
  });
});
