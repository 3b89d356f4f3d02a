import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROCESS_GUARD_MARK } from '../../electron/host/process-guard';

/** How long the headless host may take to print its URL on a loaded machine. */
const HOST_START_TIMEOUT_MS = 30_000;

export interface BoardHost {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
}

/** Starts `node out/web.cjs` (what `npm run web` runs) on its own fresh data dir. */
export async function startHost(
  dataDir: string,
  env: Record<string, string>,
): Promise<{ host: BoardHost; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [path.resolve('out/web.cjs')], {
    env: { ...process.env, ...env, KHALA_HOME: dataDir, KHALA_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Kept (and still shown) so teardown can fail a test whose host logged an escaped error.
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    process.stderr.write(text);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`host printed no URL: ${output}`)), HOST_START_TIMEOUT_MS);
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => reject(new Error(`host exited ${code}: ${output}`)));
  });
  const parsed = new URL(url);
  return {
    child,
    stderr: () => stderr,
    host: { url, origin: parsed.origin, token: parsed.hash.replace('#token=', ''), dataDir },
  };
}

/** A host for one test, on its own data dir; `hostEnv` adds variables (e.g. KHALA_CODEX_ISSUER). */
export const test = base.extend<{ hostEnv: Record<string, string>; board: BoardHost }>({
  hostEnv: [{}, { option: true }],
  board: async ({ hostEnv }, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'khala-e2e-'));
    const { host, child, stderr } = await startHost(dataDir, hostEnv);
    await use(host);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    const guarded = stderr()
      .split('\n')
      .find((line) => line.includes(PROCESS_GUARD_MARK));
    if (guarded) throw new Error(`the host's process guard caught an error during this test: ${guarded}`);
  },
});

export { expect } from '@playwright/test';
