import { spawn } from 'node:child_process';
import type { VerifyResult } from '../../../shared/domain';
import { maskSecrets } from '../../../shared/secret-mask';
import type { PaneOutput } from '../terminal/pane-output';
import { paint } from '../transcript/ansi';
import { ColourOnlyFilter } from '../transcript/sanitize';
import { nowIso } from '../refs';
import { ownerEnvironment } from '../workers/environment';
import { signalGroup, stopGroup } from '../workers/process-group';

/** A verify command that runs longer than this is stopped and counts as failed. */
export const VERIFY_TIMEOUT_MS = 15 * 60 * 1000;
/** The tail of the verify output kept as evidence in the store (the pane shows all of it). */
export const VERIFY_OUTPUT_KEEP_CHARS = 64 * 1024;

export interface VerifyRun {
  done: Promise<VerifyResult>;
  stop(): Promise<void>;
}

/** Runs the pinned verify command in the worktree through the shell, streaming into the pane. */
export function runVerify(command: string, cwd: string, pane: PaneOutput): VerifyRun {
  const startedAt = nowIso();
  let output = '';
  // The pane gets colours only: verify output must not draw over the board's lines or act outside the pane.
  // One filter per stream, so a sequence cut between two chunks of one stream is not joined to the other.
  const shownOut = new ColourOnlyFilter();
  const shownErr = new ColourOnlyFilter();
  // Masked per chunk: a pipe's chunks are whole lines unless one is longer than its buffer.
  const show = (safe: string) => {
    if (safe) pane.write(paint('dim', maskSecrets(safe)));
  };
  const keep = (text: string, filter = shownOut) => {
    output = (output + text).slice(-VERIFY_OUTPUT_KEEP_CHARS);
    show(filter.push(text));
  };
  const child = spawn('sh', ['-c', command], { cwd, env: ownerEnvironment(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  pane.setSource(child.stdout);
  child.stdout.setEncoding('utf8').on('data', (text: string) => keep(text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => keep(text, shownErr));
  // A pipe error ends that stream only: 'close' still comes and settles the verify.
  child.stdout.on('error', (error) => keep(`verify output: ${error.message}\n`));
  child.stderr.on('error', (error) => keep(`verify output: ${error.message}\n`, shownErr));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(child, 'SIGKILL');
  }, VERIFY_TIMEOUT_MS);
  const closed = new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      keep(`${error.message}\n`);
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  const done = closed.then((exitCode) => {
    clearTimeout(timer);
    pane.setSource(null);
    if (timedOut) keep(`verify stopped after ${VERIFY_TIMEOUT_MS} ms\n`);
    const passed = exitCode === 0 && !timedOut;
    show(shownOut.end());
    show(shownErr.end());
    return { command, exitCode, passed, output, startedAt, endedAt: nowIso() };
  });
  return { done, stop: () => stopGroup(child, closed) };
}
