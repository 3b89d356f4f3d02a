import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp-repo';
import { PROCESS_GUARD_MARK } from './process-guard';

/**
 * A real Node process with the guard installed: a timer throws and a promise is rejected with no
 * handler. Each would end an unguarded process; this one logs both and carries on to the end.
 */
const CHILD_SOURCE = `
import { installProcessGuard } from ${JSON.stringify(path.join(__dirname, 'process-guard'))};
installProcessGuard();
setTimeout(function throwFromATimer() {
  throw new Error('thrown from a timer');
});
setTimeout(() => {
  void Promise.reject(new Error('rejected with no handler'));
  setTimeout(() => process.stdout.write('still up\\n'));
});
`;

async function buildChild(): Promise<string> {
  const dir = tempDir();
  const entry = path.join(dir, 'child.ts');
  const out = path.join(dir, 'child.cjs');
  writeFileSync(entry, CHILD_SOURCE);
  await build({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  return out;
}

describe('the process guard', () => {
  it('logs an escaped exception and an unhandled rejection with their stacks, and the process stays up', async () => {
    const script = await buildChild();
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));

    expect(stdout).toBe('still up\n');
    expect(code).toBe(0);
    const marked = stderr.split('\n').filter((line) => line.startsWith(PROCESS_GUARD_MARK));
    expect(marked).toEqual([
      `${PROCESS_GUARD_MARK} uncaughtException: Error: thrown from a timer`,
      `${PROCESS_GUARD_MARK} unhandledRejection: Error: rejected with no handler`,
    ]);
    expect(stderr).toMatch(/ {2}at (Timeout\.)?throwFromATimer/);
  });
});
