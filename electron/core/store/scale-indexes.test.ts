import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-repo';
import { openDatabase } from './database';

/** The plan SQLite picks for a query, in its own words (SCAN is a whole table or index, SEARCH a seek). */
function plan(sql: string, ...params: unknown[]): string {
  const db = openDatabase(tempDir());
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  db.close();
  return rows.map((row) => row.detail).join(' | ');
}

describe('the queries that run on every tick and every dispatch', () => {
  it('seek by index instead of scanning the assignments table', () => {
    expect(plan(`SELECT * FROM assignments WHERE run_id = ? AND status != 'closed'`, 'r')).toMatch(/SEARCH assignments USING INDEX assignments_by_run/);
    expect(plan('SELECT COUNT(*) FROM assignments WHERE run_id = ? AND work_unit_id = ?', 'r', 'u')).toMatch(/SEARCH .*assignments_by_unit/);
    expect(plan('SELECT COUNT(*) FROM assignments WHERE work_unit_id = ?', 'u')).toMatch(/SEARCH .*assignments_by_unit/);
    expect(plan(`SELECT COUNT(*) FROM assignments WHERE account_ref = ? AND status IN ('accepted', 'running', 'verifying')`, 'a')).toMatch(
      /SEARCH .*assignments_by_account/,
    );
    expect(plan(`SELECT * FROM assignments WHERE status != 'closed' ORDER BY created_at`)).toMatch(/assignments_unfinished/);
  });

  it('reads live claims from the partial index that holds only them', () => {
    const live = `state IN ('claimed', 'in_progress', 'closeout')`;
    expect(plan(`SELECT id FROM claims WHERE ${live} AND (expires_at < ? OR heartbeat_at < ?)`, 'x', 'y')).toMatch(/claims_one_live_per_unit/);
    expect(plan(`SELECT holder FROM claims WHERE work_unit_id = ? AND ${live}`, 'u')).toMatch(/SEARCH claims USING INDEX claims_one_live_per_unit/);
  });
});
