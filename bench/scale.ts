/**
 * Scale, the host's half: 10, 50 and 200 fixture workers flooding output, each host in its own
 * process (bench/scale-host.ts) so its memory is the host's alone; then the bytes-written test
 * (50 workers writing 10 MB each, then 100 MB each), refill latency with 200 running, and claims.
 */
import { execFile } from 'node:child_process';
import { build } from 'esbuild';
import path from 'node:path';
import { promisify } from 'node:util';
import { claimRates, percentile, type FleetFigures } from './fleet';
import type { ScaleHostFigures, ScaleHostSpec } from './scale-host';
import { fixed, type BenchSection } from './section';

const execFileAsync = promisify(execFile);

/** The goals (issue 16, parts 1 and 4). */
const GOALS = {
  hostRssMb: 400,
  /** 50 x 100 MB ends within this fraction of 50 x 10 MB. */
  bytesWrittenSpread: 0.1,
  taskCreateMs: 20,
  refillP95Ms: 50,
  claimsPerSecond: 20_000,
};
const WORKER_COUNTS = [10, 50, 200] as const;
/** What each worker of the 10/50/200 steps prints: a flood, but small enough that 200 of them end in time. */
const STEP_FLOOD_BYTES = 1_000_000;
const STEP_DURATION_MS = 3_000;
const BYTES_WORKERS = 50;
const BYTES_SMALL = 10_000_000;
const BYTES_LARGE = 100_000_000;
/** Refill with 200 running: 200 in flight from a run of this many units, each unit short. */
const REFILL_TARGET = 200;
const REFILL_UNITS = 300;
const REFILL_DURATION_MS = 5_000;
const MB_PER_BYTE = 1e-6;

interface StepFigures extends ScaleHostFigures {
  floodBytes: number;
}

export interface ScaleFigures {
  steps: StepFigures[];
  bytesWritten: { small: StepFigures; large: StepFigures; spread: number };
  refill: { target: number; samples: number; medianMs: number; p95Ms: number; rssPeakMb: number };
  claims: FleetFigures['claims'];
}

/** Bundles the host script next to the bench's own bundle; native modules load from node_modules. */
async function buildHost(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'scale-host.cjs');
  await build({
    entryPoints: [path.resolve('bench/scale-host.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', 'better-sqlite3', 'node-pty', 'ws'],
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

async function host(script: string, spec: ScaleHostSpec): Promise<ScaleHostFigures> {
  const { stdout } = await execFileAsync(process.execPath, [script, JSON.stringify(spec)], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as ScaleHostFigures;
}

export async function measureScale(outDir: string): Promise<ScaleFigures> {
  const script = await buildHost(outDir);
  const fixtureWorkerScript = path.join(outDir, 'fixture-worker.cjs');
  const tasks = async (workers: number, floodBytes: number, durationMs: number): Promise<StepFigures> => ({
    ...(await host(script, { fixtureWorkerScript, mode: 'tasks', workers, floodBytes, durationMs })),
    floodBytes,
  });
  const steps: StepFigures[] = [];
  for (const workers of WORKER_COUNTS) steps.push(await tasks(workers, STEP_FLOOD_BYTES, STEP_DURATION_MS));
  const small = await tasks(BYTES_WORKERS, BYTES_SMALL, 0);
  const large = await tasks(BYTES_WORKERS, BYTES_LARGE, 0);
  const run = await host(script, { fixtureWorkerScript, mode: 'run', workers: REFILL_TARGET, units: REFILL_UNITS, floodBytes: 0, durationMs: REFILL_DURATION_MS });
  const refills = [...run.refillMs].sort((a, b) => a - b);
  return {
    steps,
    bytesWritten: { small, large, spread: Math.abs(large.rssEndMb - small.rssEndMb) / small.rssEndMb },
    refill: { target: REFILL_TARGET, samples: refills.length, medianMs: percentile(refills, 50), p95Ms: percentile(refills, 95), rssPeakMb: run.rssPeakMb },
    claims: await claimRates(),
  };
}

const meets = (ok: boolean) => (ok ? 'met' : '**not met**');

function createCell(createMs: number[]): string {
  const sorted = [...createMs].sort((a, b) => a - b);
  return `${fixed(percentile(sorted, 50), 0)} / ${fixed(percentile(sorted, 95), 0)} / ${fixed(sorted.at(-1) ?? 0, 0)}`;
}

function report(f: ScaleFigures): string {
  const { small, large } = f.bytesWritten;
  const stepRows = f.steps.map(
    (s) =>
      `| ${s.workers} | ${fixed(s.rssPeakMb, 0)} / ${fixed(s.rssEndMb, 0)} MB | ${fixed(s.heapPeakMb, 0)} / ${fixed(s.heapEndMb, 0)} MB | ${createCell(s.createMs)} ms | ${fixed(s.createBusyMs, 1)} ms | ${fixed(s.elapsedMs / 1000, 1)} s |`,
  );
  const at200 = f.steps.find((s) => s.workers === 200)!;
  const create200 = percentile([...at200.createMs].sort((a, b) => a - b), 50);
  return `Fixture workers started as one-off tasks (\`tasks.create\`, one after the other), each printing
${fixed(STEP_FLOOD_BYTES * MB_PER_BYTE, 0)} MB of assistant text over about ${fixed(STEP_DURATION_MS / 1000, 0)} s; each host runs in its own process, its memory
sampled every 100 ms. Task creation includes git's own work (\`rev-parse\` x3 and \`worktree add\`) and the worker's spawn;
"host busy per create" is the time the host's event loop was busy per create (its own code, SQLite and the
spawns' system calls; the floods of the workers already started are read meanwhile and count too).

| workers | host RSS peak / end | JS heap peak / end | task create median / p95 / max | host busy per create | all closed out after |
| --- | --- | --- | --- | --- | --- |
${stepRows.join('\n')}

| measure | figure | goal | |
| --- | --- | --- | --- |
| host RSS peak, 200 flooding workers | ${fixed(at200.rssPeakMb, 0)} MB | <= ${GOALS.hostRssMb} MB | ${meets(at200.rssPeakMb <= GOALS.hostRssMb)} |
| ${BYTES_WORKERS} workers x ${fixed(BYTES_SMALL * MB_PER_BYTE, 0)} MB: host RSS peak / end | ${fixed(small.rssPeakMb, 0)} / ${fixed(small.rssEndMb, 0)} MB (heap ${fixed(small.heapPeakMb, 0)} / ${fixed(small.heapEndMb, 0)} MB) | | |
| ${BYTES_WORKERS} workers x ${fixed(BYTES_LARGE * MB_PER_BYTE, 0)} MB: host RSS peak / end | ${fixed(large.rssPeakMb, 0)} / ${fixed(large.rssEndMb, 0)} MB (heap ${fixed(large.heapPeakMb, 0)} / ${fixed(large.heapEndMb, 0)} MB) | | |
| end RSS, ${fixed(BYTES_LARGE * MB_PER_BYTE, 0)} MB vs ${fixed(BYTES_SMALL * MB_PER_BYTE, 0)} MB each | ${fixed(f.bytesWritten.spread * 100, 1)} % apart | within ${fixed(GOALS.bytesWrittenSpread * 100, 0)} % | ${meets(f.bytesWritten.spread <= GOALS.bytesWrittenSpread)} |
| task create, median of 200 (git and the spawn included) | ${fixed(create200, 0)} ms | <= ${GOALS.taskCreateMs} ms | ${meets(create200 <= GOALS.taskCreateMs)} |
| host busy per task create, 200 | ${fixed(at200.createBusyMs, 1)} ms | <= ${GOALS.taskCreateMs} ms | ${meets(at200.createBusyMs <= GOALS.taskCreateMs)} |
| refill p95 with ${f.refill.target} running (closeout to the next worker started, ${f.refill.samples} refills; median ${fixed(f.refill.medianMs, 0)} ms) | ${fixed(f.refill.p95Ms, 0)} ms | <= ${GOALS.refillP95Ms} ms | ${meets(f.refill.p95Ms <= GOALS.refillP95Ms)} |
| claims decided per second, 1 process (${f.claims.units.toLocaleString('en-US')} units, one transaction each) | ${fixed(f.claims.singlePerSecond, 0)} | >= ${GOALS.claimsPerSecond.toLocaleString('en-US')} | ${meets(f.claims.singlePerSecond >= GOALS.claimsPerSecond)} |
| claims decided per second, ${f.claims.racers} processes racing (every unit won exactly once) | ${fixed(f.claims.racingPerSecond, 0)} | >= ${GOALS.claimsPerSecond.toLocaleString('en-US')}, 0 doubles | ${meets(f.claims.racingPerSecond >= GOALS.claimsPerSecond)} |

- The refill run (target ${f.refill.target}, ${REFILL_UNITS} units of ${fixed(REFILL_DURATION_MS / 1000, 0)} s) peaked at ${fixed(f.refill.rssPeakMb, 0)} MB host RSS.
- Times on a shared machine include waiting for a core: the figures are ratios to compare within one run.`;
}

export const scaleSection: BenchSection = {
  key: 'scale',
  heading: 'Scale: 10, 50 and 200 workers (host)',
  async run(outDir) {
    const figures = await measureScale(outDir);
    return { figures, body: report(figures) };
  },
};
