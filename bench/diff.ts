/**
 * A large diff in the board: a fixture task's worktree gets one 50,000-line file, the real board
 * (out/renderer, served by the WebSocket host) opens its diff in Chromium and scrolls it from top to
 * bottom. The page records every main-thread long task and every frame (requestAnimationFrame deltas).
 */
import { chromium, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Card } from '../shared/domain';
import { createCore } from '../electron/core';
import type { Connection } from '../electron/core/connection';
import { startWebSocketHost } from '../electron/host/ws';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { fixed, type BenchSection } from './section';

/** The issue's figure: a 50,000-line diff must open without freezing the board. */
const DIFF_LINES = 50_000;
/** How far the diff scrolls per frame: a brisk wheel scroll (about 12,000 px, 650 lines, a second at 60 Hz). */
const SCROLL_STEP_PX = 200;
/** Each stretch scrolled: at the top, from the middle and up to the end of the file (jumps between them, as the file list makes). */
const STRETCH_PX = 20_000;
/** The goals, from the issue: no frame over 100 ms, and 95% of frames within one 60 Hz frame. */
const LONGEST_FRAME_GOAL_MS = 100;
const P95_FRAME_GOAL_MS = 16.7;
/** Frames recorded after the first lines are drawn, so the windows drawn just after opening count too. */
const SETTLE_FRAMES = 60;
/** How often the card's closeout is checked (a benchmark may poll; a test may not). */
const POLL_MS = 20;

interface PhaseFigures {
  ms: number;
  frames: number;
  p50FrameMs: number;
  p95FrameMs: number;
  longestFrameMs: number;
  framesOver100Ms: number;
  longestTaskMs: number;
}

export interface DiffFigures {
  /** os.loadavg()[0] before and after: the machine's contention, which frame times include. */
  loadAverage: [number, number];
  lines: number;
  patchBytes: number;
  open: PhaseFigures;
  scroll: PhaseFigures & { scrolledPx: number; drawnWindowsAtEnd: number };
}

interface PhaseRecord {
  ms: number;
  frames: number[];
  longTasks: number[];
}

declare global {
  interface Window {
    diffBench: { frames: number[]; longTasks: number[]; recording: boolean };
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(record: PhaseRecord): PhaseFigures {
  const sorted = [...record.frames].sort((a, b) => a - b);
  return {
    ms: record.ms,
    frames: sorted.length,
    p50FrameMs: percentile(sorted, 50),
    p95FrameMs: percentile(sorted, 95),
    longestFrameMs: sorted.at(-1) ?? 0,
    framesOver100Ms: sorted.filter((ms) => ms > LONGEST_FRAME_GOAL_MS).length,
    longestTaskMs: Math.max(0, ...record.longTasks),
  };
}

/** Starts recording frames and long tasks in the page (the page's rAF loop runs until stopped). */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.diffBench = { frames: [], longTasks: [], recording: true };
    new PerformanceObserver((list) => {
      if (window.diffBench.recording) for (const entry of list.getEntries()) window.diffBench.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: false });
    let last = performance.now();
    const frame = (now: number) => {
      if (!window.diffBench.recording) return;
      window.diffBench.frames.push(now - last);
      last = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

async function stopRecording(page: Page, ms: number): Promise<PhaseRecord> {
  const { frames, longTasks } = await page.evaluate(() => {
    window.diffBench.recording = false;
    return window.diffBench;
  });
  return { ms, frames, longTasks };
}

async function waitForCard(invoke: <T>(command: string, input: unknown) => Promise<T>, assignmentId: string): Promise<Card> {
  for (;;) {
    const card = (await invoke<Card[]>('cards.list', {})).find((c) => c.assignmentId === assignmentId);
    if (card?.status === 'closed' && card.review?.diff) return card;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export async function measureDiff(outDir: string): Promise<DiffFigures> {
  const loadBefore = os.loadavg()[0]!;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'khala-bench-diff-'));
  const core = createCore({ dataDir, version: 'bench', fixtureWorkerScript: path.join(outDir, 'fixture-worker.cjs'), log: () => undefined });
  const connection: Connection = { id: randomUUID(), transport: 'websocket', emit: () => undefined };
  core.connect(connection);
  const invoke = async <T>(command: string, input: unknown): Promise<T> => {
    const result = await core.router.invoke(command, input, connection);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  const host = await startWebSocketHost(core, { port: 0, staticDir: path.join(outDir, 'renderer') });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const created = await invoke<Card>('tasks.create', {
      title: 'Large change',
      repoPath: makeTempRepo(),
      prompt: 'Write a large change',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 0 },
    });
    const card = await waitForCard(invoke, created.assignmentId);
    const lines = Array.from({ length: DIFF_LINES }, (_, line) => `export const value_${line} = ${line} * 2; // generated line ${line}`);
    mkdirSync(path.join(card.repo.worktreePath, 'src'));
    writeFileSync(path.join(card.repo.worktreePath, 'src', 'large.ts'), `${lines.join('\n')}\n`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.boardUrl);
    await page.getByRole('article', { name: 'Worker card Large change' }).getByRole('button', { name: 'Diff of Large change' }).waitFor();

    await startRecording(page);
    const opening = performance.now();
    await page.getByRole('article', { name: 'Worker card Large change' }).getByRole('button', { name: 'Diff of Large change' }).click();
    await page.waitForFunction(() => document.querySelector('[aria-label="Diff of src/large.ts"]')?.textContent?.includes('value_0 ') ?? false, null, { polling: 'raf', timeout: 120_000 });
    const openMs = performance.now() - opening;
    await page.evaluate((frames) => new Promise<void>((resolve) => {
      let left = frames;
      const next = () => (--left <= 0 ? resolve() : requestAnimationFrame(next));
      requestAnimationFrame(next);
    }), SETTLE_FRAMES);
    const open = await stopRecording(page, openMs);

    await startRecording(page);
    const scrolling = performance.now();
    const scrolledPx = await page.evaluate(
      ([step, stretch]) =>
        new Promise<number>((resolve) => {
          const panes = document.getElementById('diff-panes')!;
          const bottom = () => panes.scrollHeight - panes.clientHeight;
          const starts = [0, bottom() / 2, bottom() - stretch];
          let scrolled = 0;
          let left = 0;
          const next = () => {
            if (left <= 0) {
              const start = starts.shift();
              if (start === undefined) return resolve(scrolled);
              panes.scrollTop = start;
              left = stretch;
            } else {
              panes.scrollTop += step;
              left -= step;
              scrolled += step;
            }
            requestAnimationFrame(next);
          };
          requestAnimationFrame(next);
        }),
      [SCROLL_STEP_PX, STRETCH_PX] as [number, number],
    );
    await page.waitForFunction((last) => document.querySelector('[aria-label="Diff of src/large.ts"]')?.textContent?.includes(`value_${last} `) ?? false, DIFF_LINES - 1, {
      polling: 'raf',
      timeout: 120_000,
    });
    const scroll = await stopRecording(page, performance.now() - scrolling);
    const drawnWindowsAtEnd = await page.locator('.diff-window table').count();
    const patch = (await invoke<{ files: { path: string; patch: string | null }[] }>('review.diff', { assignmentId: card.assignmentId })).files.find((f) => f.path === 'src/large.ts')?.patch;
    return {
      loadAverage: [loadBefore, os.loadavg()[0]!],
      lines: DIFF_LINES,
      patchBytes: patch?.length ?? 0,
      open: summary(open),
      scroll: { ...summary(scroll), scrolledPx, drawnWindowsAtEnd },
    };
  } finally {
    await browser.close();
    await host.close();
    await core.close();
  }
}

function row(name: string, phase: PhaseFigures): string {
  return `| ${name} | ${fixed(phase.ms, 0)} ms | ${phase.frames} | ${fixed(phase.p50FrameMs)} ms | ${fixed(phase.p95FrameMs)} ms | ${fixed(phase.longestFrameMs)} ms | ${phase.framesOver100Ms} | ${fixed(phase.longestTaskMs, 0)} ms |`;
}

export const diffSection: BenchSection = {
  key: 'diff',
  heading: 'A large diff in the board',
  async run(outDir) {
    const diff = await measureDiff(outDir);
    const phases = [diff.open, diff.scroll];
    const longest = Math.max(...phases.map((phase) => phase.longestFrameMs));
    const p95 = Math.max(...phases.map((phase) => phase.p95FrameMs));
    const met = (ok: boolean) => (ok ? 'met' : '**not met**');
    return {
      figures: diff,
      body: `A fixture task's worktree gets one new ${diff.lines.toLocaleString('en-US')}-line TypeScript file (a ${fixed(diff.patchBytes / 1e6)} MB patch). The board
(the built renderer, served by the WebSocket host) opens the card's diff in headless Chromium, then scrolls the
diff ${SCROLL_STEP_PX.toLocaleString('en-US')} px per frame for ${STRETCH_PX.toLocaleString('en-US')} px from the top, from the middle and up to the last line (jumping between
them, as a click in the file list does). The page records every frame
(\`requestAnimationFrame\` deltas) and every main-thread long task (\`PerformanceObserver\` \`longtask\`, over 50 ms).

| phase | time | frames | p50 frame | p95 frame | longest frame | frames over 100 ms | longest task |
| --- | --- | --- | --- | --- | --- | --- | --- |
${row('open: click to the first lines drawn, then 60 frames', diff.open)}
${row(`scroll: ${fixed(diff.scroll.scrolledPx / 1e3, 0)},000 px in three stretches (top, middle, end)`, diff.scroll)}

- Goal: no frame over ${LONGEST_FRAME_GOAL_MS} ms: ${met(longest <= LONGEST_FRAME_GOAL_MS)} (longest ${fixed(longest)} ms).
- Goal: p95 frame at most ${P95_FRAME_GOAL_MS} ms: ${met(p95 <= P95_FRAME_GOAL_MS)} (p95 ${fixed(p95)} ms).
- The file is cut into windows of 100 lines, each highlighted (the diff library's highlighter) and drawn when it
  comes near the view and dropped when it leaves, so the page holds a few windows however long the file
  (${diff.scroll.drawnWindowsAtEnd} drawn at the end of the scroll).
- Load average (1 min) at the start and the end: ${diff.loadAverage.map((load) => fixed(load)).join(' and ')} on ${os.cpus().length} cores. Frame times
  here are wall-clock: on a shared machine they measure the neighbours as much as the board.`,
    };
  },
};
