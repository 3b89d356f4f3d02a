/**
 * Scale, the renderer's half (issue 16, parts 2, 5 and 6): the real board in Chromium (browser mode,
 * the renderer bundle served by the headless host) while 10, 50 and 200 fixture workers flood output.
 * Frame times come from requestAnimationFrame in the page, memory from CDP and /proc, the pane's open
 * time from the card's click to the first text in its xterm. Cold start is a fresh browser context
 * loading the board until it can be used.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../electron/core';
import type { Connection } from '../electron/core/connection';
import { startWebSocketHost, type WebSocketHost } from '../electron/host/ws';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { fixed, type BenchSection } from './section';

/** The issue's goals (issue 16, parts 2 and 5). */
export const BOARD_GOALS = {
  /** One frame at 60 Hz. */
  frameP95Ms: 16.7,
  frameMaxMs: 100,
  paneOpenMs: 150,
  rendererRssMb: 300,
  coldStartMs: 1_000,
};
const WORKER_COUNTS = [10, 50, 200] as const;
/** Each frame window: long enough for hundreds of frames, short enough that 200 floods fit on the disk. */
const FRAME_WINDOW_MS = 5_000;
/** Each worker starts printing at once and would print this much: more than it gets through while measured (it is interrupted after). */
const WORKER_FLOOD_BYTES = 20_000_000;
/** Workers interrupted at the end close out within this; past it the bench says so and goes on. */
const CLOSE_OUT_TIMEOUT_MS = 120_000;
const COLD_START_RUNS = 5;
const MB = 2 ** 20;

interface FrameFigures {
  frames: number;
  p95Ms: number;
  maxMs: number;
  over50Ms: number;
}

export interface BoardStepFigures {
  workers: number;
  createSeconds: number;
  noPane: FrameFigures;
  paneOpenMs: number;
  withPane: FrameFigures;
  rendererRssPeakMb: number;
  jsHeapMb: number;
  /** Workers whose card had not closed out when the bench stopped waiting. */
  notClosed: number;
}

export interface ColdStartFigures {
  runsMs: number[];
  medianMs: number;
  /** The page's main-thread busy time until usable (CDP TaskDuration), median: less swayed by neighbours than wall time. */
  busyMedianMs: number;
  /** What the page fetched before it was usable, by kind (decoded sizes, kB). */
  loadedKb: { script: number; css: number; other: number };
  scripts: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A core and its headless host serving the built renderer, plus a connection for the bench's own invokes. */
async function startBoardHost(outDir: string) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'khala-bench-board-'));
  const core: Core = createCore({ dataDir, version: 'bench', fixtureWorkerScript: path.join(outDir, 'fixture-worker.cjs'), log: () => undefined });
  const host: WebSocketHost = await startWebSocketHost(core, { port: 0, staticDir: path.join(outDir, 'renderer') });
  const closed = new Set<string>();
  let wake: () => void = () => undefined;
  const connection: Connection = {
    id: randomUUID(),
    transport: 'websocket',
    emit: (event, payload) => {
      if (event !== 'card.updated') return;
      const card = payload as { assignmentId: string; status: string };
      if (card.status === 'closed') closed.add(card.assignmentId);
      wake();
    },
  };
  core.connect(connection);
  const invoke = async <T>(command: string, input: unknown): Promise<T> => {
    const result = await core.router.invoke(command as never, input, connection);
    if (!result.ok) throw new Error(`${command}: ${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  /** Resolves once every id has closed out, or after the timeout; returns how many had not. */
  const closedOut = (ids: readonly string[], timeoutMs: number) =>
    new Promise<number>((resolve) => {
      const open = () => ids.filter((id) => !closed.has(id)).length;
      const timer = setTimeout(() => resolve(open()), timeoutMs);
      wake = () => {
        if (open() > 0) return;
        clearTimeout(timer);
        resolve(0);
      };
      wake();
    });
  const close = async () => {
    await host.close();
    await core.close();
  };
  return { host, invoke, closedOut, close };
}

/** Resident memory of this process's Chromium renderers (the largest: the board's page), from /proc. */
function largestRendererRssMb(): number {
  const parents = new Map<number, number>();
  const renderers: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields resume after the last ')'.
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) renderers.push(pid);
    } catch {
      // The process ended while the table was read.
    }
  }
  const ours = (pid: number) => {
    for (let at = pid, hops = 0; at > 1 && hops < 64; at = parents.get(at) ?? 0, hops += 1) if (at === process.pid) return true;
    return false;
  };
  let largest = 0;
  for (const pid of renderers.filter(ours)) {
    try {
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      largest = Math.max(largest, rssKb / 1024);
    } catch {
      // Gone meanwhile.
    }
  }
  return largest;
}

/** Frame intervals seen by requestAnimationFrame in the page over `ms`. */
async function frames(page: Page, ms: number): Promise<FrameFigures> {
  const deltas = await page.evaluate(
    (windowMs) =>
      new Promise<number[]>((resolve) => {
        const seen: number[] = [];
        let last = -1;
        let end = -1;
        const tick = (at: number) => {
          if (last >= 0) seen.push(at - last);
          else end = at + windowMs;
          last = at;
          if (at < end || end < 0) requestAnimationFrame(tick);
          else resolve(seen);
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
  const sorted = [...deltas].sort((a, b) => a - b);
  return { frames: deltas.length, p95Ms: percentile(sorted, 95), maxMs: sorted.at(-1) ?? 0, over50Ms: deltas.filter((d) => d > 50).length };
}

/** From the click on the first working card to the first text in its pane's terminal, timed in the page. */
function openFirstPane(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const card = document.querySelector<HTMLElement>('.column.state-working article.card') ?? document.querySelector<HTMLElement>('article.card');
        if (!card) {
          reject(new Error('no worker card on the board'));
          return;
        }
        const clicked = performance.now();
        card.click();
        const poll = () => {
          const rows = document.querySelector('.xterm-rows');
          if (rows && (rows.textContent ?? '').trim().length > 0) resolve(performance.now() - clicked);
          else requestAnimationFrame(poll);
        };
        poll();
      }),
  );
}

/** Samples the renderers' resident memory while `during` runs; returns its result and the peak. */
async function withRssPeak<T>(during: () => Promise<T>): Promise<[T, number]> {
  let peak = largestRendererRssMb();
  const sampler = setInterval(() => (peak = Math.max(peak, largestRendererRssMb())), 500);
  try {
    const result = await during();
    return [result, Math.max(peak, largestRendererRssMb())];
  } finally {
    clearInterval(sampler);
  }
}

async function measureStep(browser: Browser, outDir: string, workers: number): Promise<BoardStepFigures> {
  const board = await startBoardHost(outDir);
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const ids: string[] = [];
  try {
    await page.goto(board.host.boardUrl);
    await page.getByRole('button', { name: 'New task' }).first().waitFor();
    const repo = makeTempRepo();
    const createStarted = performance.now();
    for (let i = 0; i < workers; i += 1) {
      const card = await board.invoke<{ assignmentId: string }>('tasks.create', {
        title: `Flood ${i}`,
        repoPath: repo,
        prompt: 'Flood the pane',
        verifyCommand: 'true',
        workerKind: 'fixture',
        fixture: { durationMs: 0, floodBytes: WORKER_FLOOD_BYTES },
      });
      ids.push(card.assignmentId);
    }
    const createSeconds = (performance.now() - createStarted) / 1000;
    await page.waitForFunction((count) => document.querySelectorAll('article.card').length >= count, workers);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const [[noPane, paneOpenMs, withPane], rssPeak] = await withRssPeak(async () => {
      const quiet = await frames(page, FRAME_WINDOW_MS);
      const opened = await openFirstPane(page);
      const busy = await frames(page, FRAME_WINDOW_MS);
      return [quiet, opened, busy] as const;
    });
    const { metrics } = await cdp.send('Performance.getMetrics');
    const jsHeapMb = (metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0) / MB;
    await page.close();
    await Promise.all(ids.map((assignmentId) => board.invoke('assignments.interrupt', { assignmentId }).catch(() => undefined)));
    const notClosed = await board.closedOut(ids, CLOSE_OUT_TIMEOUT_MS);
    return { workers, createSeconds, noPane, paneOpenMs, withPane, rendererRssPeakMb: rssPeak, jsHeapMb, notClosed };
  } finally {
    if (!page.isClosed()) await page.close();
    await board.close();
  }
}

export async function measureBoardScale(outDir: string, counts: readonly number[] = WORKER_COUNTS): Promise<BoardStepFigures[]> {
  const browser = await launch();
  try {
    const steps: BoardStepFigures[] = [];
    for (const workers of counts) steps.push(await measureStep(browser, outDir, workers));
    return steps;
  } finally {
    await browser.close();
  }
}

/** Each run a fresh context (no cache): from navigation start until the board can be used, its list loaded. */
export async function measureColdStart(outDir: string): Promise<ColdStartFigures> {
  const board = await startBoardHost(outDir);
  const browser = await launch();
  try {
    const runsMs: number[] = [];
    const busyMs: number[] = [];
    let loaded: ColdStartFigures['loadedKb'] = { script: 0, css: 0, other: 0 };
    let scripts = 0;
    for (let run = 0; run < COLD_START_RUNS; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(board.host.boardUrl, { waitUntil: 'commit' });
      const usable = await page.waitForFunction(
        () => {
          const newTask = [...document.querySelectorAll('button')].some((button) => button.textContent?.trim() === 'New task' && !button.disabled);
          const listed = document.querySelector('.board .columns, .board .empty');
          return newTask && listed ? performance.now() : null;
        },
        undefined,
        { polling: 'raf' },
      );
      const usableAt = (await usable.jsonValue()) as number;
      const { metrics } = await cdp.send('Performance.getMetrics');
      runsMs.push(usableAt);
      busyMs.push((metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000);
      const resources = await page.evaluate(
        (before) =>
          (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
            .filter((resource) => resource.responseEnd <= before)
            .map((resource) => ({ type: resource.initiatorType, name: resource.name, bytes: resource.decodedBodySize })),
        usableAt,
      );
      const kb = (match: (r: { type: string; name: string }) => boolean) => resources.filter(match).reduce((sum, r) => sum + r.bytes, 0) / 1024;
      const isScript = (r: { type: string; name: string }) => r.name.endsWith('.js');
      const isCss = (r: { type: string; name: string }) => r.name.endsWith('.css');
      loaded = { script: kb(isScript), css: kb(isCss), other: kb((r) => !isScript(r) && !isCss(r)) };
      scripts = resources.filter(isScript).length;
      await context.close();
    }
    const sorted = [...runsMs].sort((a, b) => a - b);
    return { runsMs, medianMs: percentile(sorted, 50), busyMedianMs: percentile([...busyMs].sort((a, b) => a - b), 50), loadedKb: loaded, scripts };
  } finally {
    await browser.close();
    await board.close();
  }
}

const meets = (ok: boolean) => (ok ? 'met' : '**not met**');
const ms = (value: number) => `${fixed(value, 1)} ms`;

function boardReport(steps: readonly BoardStepFigures[]): string {
  const g = BOARD_GOALS;
  const rows = steps.map(
    (s) =>
      `| ${s.workers} | ${ms(s.noPane.p95Ms)} / ${ms(s.noPane.maxMs)} (${s.noPane.over50Ms} over 50 ms) | ${ms(s.withPane.p95Ms)} / ${ms(s.withPane.maxMs)} (${s.withPane.over50Ms} over 50 ms) | ${fixed(s.paneOpenMs, 0)} ms | ${fixed(s.rendererRssPeakMb, 0)} / ${fixed(s.jsHeapMb, 0)} MB | ${fixed(s.createSeconds, 1)} s |`,
  );
  const at200 = steps.find((s) => s.workers === 200) ?? steps.at(-1)!;
  const unclosed = steps.filter((s) => s.notClosed > 0);
  return `The real board (the renderer bundle over browser mode's WebSocket) in headless Chromium at 1600x900, while
fixture workers print assistant text as fast as they can (each would print ${fixed(WORKER_FLOOD_BYTES / 1e6, 0)} MB; all are interrupted
after the measurement). Frame times are requestAnimationFrame intervals over ${fixed(FRAME_WINDOW_MS / 1000, 0)} s, first with no pane open,
then right after opening the first working card's pane; the pane's open time runs from the card's click to the first text in its
terminal. Renderer RSS is the largest Chromium renderer's resident memory (/proc, peak over both windows); JS heap is CDP's
\`JSHeapUsedSize\` at the end.

| workers | frame p95 / max, no pane | frame p95 / max, one pane open | pane open | renderer RSS / JS heap | workers created in |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

| measure, ${at200.workers} flooding workers | figure | goal | |
| --- | --- | --- | --- |
| frame p95, one pane open | ${ms(at200.withPane.p95Ms)} | <= ${g.frameP95Ms} ms | ${meets(at200.withPane.p95Ms <= g.frameP95Ms)} |
| longest frame, one pane open | ${ms(at200.withPane.maxMs)} | <= ${g.frameMaxMs} ms | ${meets(at200.withPane.maxMs <= g.frameMaxMs)} |
| opening a pane | ${fixed(at200.paneOpenMs, 0)} ms | <= ${g.paneOpenMs} ms | ${meets(at200.paneOpenMs <= g.paneOpenMs)} |
| renderer RSS | ${fixed(at200.rendererRssPeakMb, 0)} MB | <= ${g.rendererRssMb} MB | ${meets(at200.rendererRssPeakMb <= g.rendererRssMb)} |

- Pushed cards are applied once per animation frame and cards are memoised, so a frame re-renders only the cards that changed.
- The host, the workers and Chromium share this machine's cores with other work: frame figures are ratios to compare within one run.${
    unclosed.length > 0 ? `\n- Not closed out within ${CLOSE_OUT_TIMEOUT_MS / 1000} s of the interrupt: ${unclosed.map((s) => `${s.notClosed} of ${s.workers}`).join(', ')}.` : ''
  }`;
}

function coldStartReport(c: ColdStartFigures): string {
  return `A fresh browser context (nothing cached) opens browser mode's board URL; timed in the page from navigation start until the
board can be used (its **New task** button enabled and its worker list loaded), ${c.runsMs.length} runs.

| measure | figure | goal | |
| --- | --- | --- | --- |
| cold start to a usable board, median | ${fixed(c.medianMs, 0)} ms | <= ${BOARD_GOALS.coldStartMs} ms | ${meets(c.medianMs <= BOARD_GOALS.coldStartMs)} |

- Each run: ${c.runsMs.map((run) => `${fixed(run, 0)} ms`).join(', ')}. The page's main thread was busy ${fixed(c.busyMedianMs, 0)} ms of it (median, CDP
  \`TaskDuration\`, the part a loaded machine inflates least).
- Loaded before the board was usable: ${fixed(c.loadedKb.script, 0)} kB of JavaScript in ${c.scripts} file(s), ${fixed(c.loadedKb.css, 0)} kB of CSS, ${fixed(c.loadedKb.other, 0)} kB else (decoded sizes).`;
}

export const boardScaleSection: BenchSection = {
  key: 'board-scale',
  heading: 'Scale: 10, 50 and 200 workers (the board in Chromium)',
  async run(outDir) {
    const steps = await measureBoardScale(outDir);
    return { figures: steps, body: boardReport(steps) };
  },
};

export const coldStartSection: BenchSection = {
  key: 'cold-start',
  heading: 'Cold start of the board',
  async run(outDir) {
    const figures = await measureColdStart(outDir);
    return { figures, body: coldStartReport(figures) };
  },
};
