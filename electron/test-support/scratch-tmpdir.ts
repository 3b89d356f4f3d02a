import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Points TMPDIR at one folder for the whole test run, so every temp repo, data dir and fleet root
 * the tests and their children make lands there and is removed with it at the end (thousands of
 * folders a run would otherwise be left in /tmp). Test workers are started after this, so they
 * inherit it.
 */
export function useScratchTmpdir(): () => void {
  const previous = process.env.TMPDIR;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'khala-tests-'));
  process.env.TMPDIR = scratch;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(scratch, { recursive: true, force: true });
  };
}
