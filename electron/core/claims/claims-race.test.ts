import Database from 'better-sqlite3';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRacer, race, seedUnits } from '../../test-support/claim-race';
import { tempDir } from '../../test-support/temp-repo';

const UNITS = 1_000;
const RACERS = 4;
let racer: string;

beforeAll(async () => {
  racer = await buildRacer();
});

describe('claims under a race', () => {
  it('four processes on one database file claim every unit exactly once; every loss is already_claimed', async () => {
    const dataDir = tempDir();
    seedUnits(dataDir, UNITS);
    const results = await race(racer, dataDir, RACERS);

    const won = results.flatMap((r) => r.won);
    expect(won).toHaveLength(UNITS);
    expect(new Set(won).size).toBe(UNITS);
    for (const result of results) {
      expect(result.attempts).toBe(UNITS);
      expect(Object.keys(result.skips).filter((reason) => reason !== 'already_claimed')).toEqual([]);
      expect(result.won.length + (result.skips.already_claimed ?? 0)).toBe(UNITS);
    }
    expect(results.reduce((sum, r) => sum + (r.skips.already_claimed ?? 0), 0)).toBe(UNITS * (RACERS - 1));

    const db = new Database(path.join(dataDir, 'fleet.sqlite'), { readonly: true });
    expect(db.prepare(`SELECT COUNT(*) FROM claims WHERE state = 'claimed'`).pluck().get()).toBe(UNITS);
    expect(db.prepare('SELECT COUNT(DISTINCT work_unit_id) FROM claims').pluck().get()).toBe(UNITS);
    db.close();
  });
});
