/**
 * Output-path benchmark: a fixture worker prints FLOOD_BYTES of transcript through the whole path
 * (worker -> core -> WebSocket -> PaneStream -> xterm in Chromium, with flow control), against the
 * same worker's stdout through a plain pipe into a file. The page hashes every character it hands
 * xterm; the hash must equal the transcript the core kept, so nothing was lost or reordered.
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../electron/core';
import { startWebSocketHost } from '../electron/host/ws';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { fnv1a } from './fnv';
import type { OutputBenchResult, XtermAloneResult } from './page/main';
import { FLOW_CONTROL } from '../shared/constants';
import { fixed, type BenchSection } from './section';

/** 50 MB, as the issue asks: large enough that start-up costs vanish in the figure. */
export const FLOOD_BYTES = 50_000_000;
const MB = 1_000_000;

export interface OutputPathFigures {
  floodBytes: number;
  pipe: { bytes: number; ms: number; mbPerSecond: number };
  board: { chars: number; ms: number; mbPerSecond: number; streamMs: number; streamMcharsPerSecond: number; intact: boolean; cardState: string };
  /** The same characters written straight into a fresh xterm in the same page, right after the board path. */
  xtermAlone: { chars: number; ms: number; mcharsPerSecond: number; intact: boolean };
  /**
   * The page's main-thread busy time (CDP TaskDuration) for each, in ms: on a loaded shared machine
   * wall-clock rates swing with the neighbours, this shows what each costs the renderer itself.
   */
  pageBusyMs: { board: number; xtermAlone: number };
  ratio: number;
  /** Board path's streaming rate over xterm alone's: the issue asks for at least XTERM_RATIO_GOAL. */
  xtermRatio: number;
}

/** Issue 16: the terminal path moves at least this share of what xterm alone takes in the same Chromium. */
export const XTERM_RATIO_GOAL = 0.9;

function pipeIntoFile(workerScript: string, repo: string, file: string): Promise<{ bytes: number; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [workerScript, '-p', '--duration-ms', '0', '--flood-bytes', String(FLOOD_BYTES)], {
    cwd: repo,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  // The prompt goes in on stdin, as the app gives it.
  child.stdin.end('flood the pane');
  const out = createWriteStream(file);
  child.stdout.pipe(out);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    out.on('finish', () => resolve({ bytes: statSync(file).size, ms: performance.now() - started }));
  });
}

export async function measureOutputPath(outDir: string): Promise<OutputPathFigures> {
  const workerScript = path.join(outDir, 'fixture-worker.cjs');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'khala-bench-'));
  const pipe = await pipeIntoFile(workerScript, makeTempRepo(), path.join(scratch, 'pipe.jsonl'));

  const dataDir = path.join(scratch, 'data');
  const core = createCore({ dataDir, version: 'bench', fixtureWorkerScript: workerScript, log: () => undefined });
  const host = await startWebSocketHost(core, { port: 0, staticDir: path.join(outDir, 'bench-page') });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(host.boardUrl);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const busyMs = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000;
    };
    const busyAtStart = await busyMs();
    const repo = makeTempRepo();
    const result: OutputBenchResult = await page.evaluate(
      ([repoPath, bytes]) => window.runOutputBench(repoPath, bytes),
      [repo, FLOOD_BYTES] as [string, number],
    );
    const runs = path.join(dataDir, 'runs');
    const [task] = await import('node:fs').then((fs) => fs.readdirSync(runs));
    const [assignment] = await import('node:fs').then((fs) => fs.readdirSync(path.join(runs, task!)));
    const transcript = readFileSync(path.join(runs, task!, assignment!, 'transcript.log'), 'utf8');
    const transcriptHash = fnv1a(transcript);
    const intact = transcript.length === result.chars && transcriptHash === result.hash;
    const busyAfterBoard = await busyMs();
    const alone: XtermAloneResult = await page.evaluate(() => window.runXtermAlone());
    const busyAfterAlone = await busyMs();
    const boardRate = result.chars / MB / (result.ms / 1000);
    const streamRate = result.chars / MB / (result.streamMs / 1000);
    const aloneRate = alone.chars / MB / (alone.ms / 1000);
    const pipeRate = pipe.bytes / MB / (pipe.ms / 1000);
    return {
      floodBytes: FLOOD_BYTES,
      pipe: { ...pipe, mbPerSecond: pipeRate },
      board: {
        chars: result.chars,
        ms: result.ms,
        mbPerSecond: boardRate,
        streamMs: result.streamMs,
        streamMcharsPerSecond: streamRate,
        intact,
        cardState: result.cardState,
      },
      xtermAlone: {
        chars: alone.chars,
        ms: alone.ms,
        mcharsPerSecond: aloneRate,
        intact: alone.chars === transcript.length && alone.hash === transcriptHash,
      },
      pageBusyMs: { board: busyAfterBoard - busyAtStart, xtermAlone: busyAfterAlone - busyAfterBoard },
      ratio: boardRate / pipeRate,
      xtermRatio: streamRate / aloneRate,
    };
  } finally {
    await browser.close();
    await host.close();
    await core.close();
  }
}

export const terminalSection: BenchSection = {
  key: 'terminal',
  heading: 'Terminal output path',
  async run(outDir) {
    const output = await measureOutputPath(outDir);
    const problem = output.board.intact && output.xtermAlone.intact ? undefined : 'output path lost or reordered characters';
    const chars = (count: number) => count.toLocaleString('en-US');
    return { figures: output, problem, body: `A fixture worker prints ${fixed(output.floodBytes / 1e6, 0)} MB of assistant text. Side by side in one Chromium page:

| path | volume | time | throughput | goal |
| --- | --- | --- | --- | --- |
| worker stdout → plain pipe → file | ${fixed(output.pipe.bytes / 1e6)} MB of raw JSON lines | ${fixed(output.pipe.ms / 1000, 2)} s | ${fixed(output.pipe.mbPerSecond)} MB/s | |
| worker → core (parse, transcript, store) → WebSocket → PaneStream → xterm, flow-controlled, first character to last parse | ${fixed(output.board.chars / 1e6)} M transcript characters | ${fixed(output.board.streamMs / 1000, 2)} s | ${fixed(output.board.streamMcharsPerSecond)} M chars/s | |
| xterm alone, the same characters, same options and size, fed as fast as it parses | ${fixed(output.xtermAlone.chars / 1e6)} M characters | ${fixed(output.xtermAlone.ms / 1000, 2)} s | ${fixed(output.xtermAlone.mcharsPerSecond)} M chars/s | |
| **board path / xterm alone** | | | **${fixed(output.xtermRatio, 2)}x** | >= ${XTERM_RATIO_GOAL}x |

- The page's main thread was busy ${fixed(output.pageBusyMs.board / 1000, 2)} s on the board path and ${fixed(output.pageBusyMs.xtermAlone / 1000, 2)} s for xterm alone
  (CDP \`TaskDuration\`): the busy-time ratio (alone / board) is ${fixed(output.pageBusyMs.xtermAlone / output.pageBusyMs.board, 2)}; the rest of the
  wall-clock gap is the host and the worker sharing the machine's cores with Chromium.
- From \`tasks.create\` to the last parse (worktree, worker start, verify and closeout included): ${fixed(output.board.ms / 1000, 2)} s,
  ${fixed(output.board.mbPerSecond)} M chars/s; board path / plain pipe: ${fixed(output.ratio, 3)}. The card ended \`${output.board.cardState}\`.
- Nothing lost or reordered: **${output.board.intact && output.xtermAlone.intact ? 'yes' : 'NO'}**. The FNV-1a hash and the length of every
  character handed to xterm (on the board path and alone) equal those of the transcript the core kept on disk.
- Flow control: the core pauses the worker above ${chars(FLOW_CONTROL.highWatermarkChars)} unacknowledged characters and resumes it
  below ${chars(FLOW_CONTROL.lowWatermarkChars)}; the pane acknowledges every ${chars(FLOW_CONTROL.ackBatchChars)} characters xterm has parsed.
  xterm alone is fed 64 KiB writes with up to 2 M characters queued, so it never waits for input.` };
  },
};
