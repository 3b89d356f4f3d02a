import { execFile } from 'node:child_process';
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../core/store/database';
import { AssignmentStore } from '../core/assignments/assignment-store';

const execFileAsync = promisify(execFile);

export interface RacerResult {
  holder: string;
  won: string[];
  skips: Record<string, number>;
  attempts: number;
  elapsedMs: number;
}

/** Builds the racer script once into a scratch folder; it loads better-sqlite3 from this repo. */
export async function buildRacer(): Promise<string> {
  const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'khala-racer-')), 'claim-racer.cjs');
  await build({
    entryPoints: [path.resolve('electron/core/claims/claim-racer.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'warning',
    loader: { '.sql': 'text' },
    plugins: [
      {
        name: 'raw-text',
        setup(esbuild) {
          esbuild.onResolve({ filter: /\?raw$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.replace(/\?raw$/, '')) }));
        },
      },
    ],
  });
  return outfile;
}

/** A fleet database holding `count` fixture units and nothing else. */
export function seedUnits(dataDir: string, count: number): void {
  const db = openDatabase(dataDir);
  const store = new AssignmentStore(db);
  db.transaction(() => {
    for (let i = 1; i <= count; i += 1) store.ensureWorkUnit({ source: 'fixture', key: `fixture:${i}`, title: `Unit ${i}` });
  })();
  db.close();
}

/** Starts `racers` processes at once against one database and collects what each won. */
export async function race(racer: string, dataDir: string, racers: number): Promise<RacerResult[]> {
  const env = { ...process.env, NODE_PATH: path.resolve('node_modules') };
  const runs = Array.from({ length: racers }, (_, i) => execFileAsync(process.execPath, [racer, dataDir, `racer-${i + 1}`], { env, maxBuffer: 64 * 1024 * 1024 }));
  return (await Promise.all(runs)).map(({ stdout }) => JSON.parse(stdout) as RacerResult);
}
