/**
 * A process that claims every unit of a fleet database as fast as it can, for the claims race test
 * and the claims benchmark: `node claim-racer.cjs <dataDir> <holder>`. Prints one JSON line.
 */
import { openDatabase } from '../store/database';
import { tryClaimUnit } from './claims';

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const [dataDir, holder] = process.argv.slice(2);
const db = openDatabase(dataDir!);
const units = shuffled(db.prepare(`SELECT id FROM work_units WHERE source = 'fixture'`).pluck().all() as string[]);
const won: string[] = [];
const skips: Record<string, number> = {};
const started = performance.now();
for (const workUnitId of units) {
  if (tryClaimUnit(db, { workUnitId, holder: holder!, runId: null }) !== null) won.push(workUnitId);
  else skips.already_claimed = (skips.already_claimed ?? 0) + 1;
}
const elapsedMs = performance.now() - started;
db.close();
process.stdout.write(`${JSON.stringify({ holder, won, skips, attempts: units.length, elapsedMs })}\n`);
