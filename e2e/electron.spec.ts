import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** The Electron binary, or why there is none (it is skipped at install on machines that cannot download it). */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as string;
    return existsSync(binary) ? { path: binary } : { missing: `no Electron binary at ${binary}` };
  } catch (error) {
    return { missing: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

const binary = electronBinary();

test('the desktop app opens the board in a hardened window over IPC', async () => {
  test.skip('missing' in binary, `Skipped: no Electron binary is installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); ${'missing' in binary ? binary.missing : ''}`);
  if (!('path' in binary)) return;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'khala-electron-'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: [path.resolve('out/main.cjs')],
    env: { ...process.env, KHALA_HOME: dataDir },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Board' })).toBeVisible();
    await expect(window.getByRole('contentinfo', { name: 'Status bar' })).toContainText('ipc');
    const exposed = await window.evaluate(() => ({
      fleet: Object.keys((window as unknown as { fleet: object }).fleet).sort(),
      node: typeof (globalThis as { require?: unknown }).require,
    }));
    expect(exposed).toEqual({ fleet: ['invoke', 'subscribe'], node: 'undefined' });
  } finally {
    await app.close();
  }
});
