/**
 * Browser mode: the full core with no Electron, serving the built renderer and the contract over
 * the loopback WebSocket. Prints one URL that carries the token.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCore } from '../core';
import { defaultDataDir } from './data-dir';
import { removeHostFile, writeHostFile } from './host-file';
import { installProcessGuard } from './process-guard';
import { startWebSocketHost } from './ws';

async function main(): Promise<void> {
  installProcessGuard();
  const dataDir = defaultDataDir();
  const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  const core = createCore({
    dataDir,
    version,
    fixtureWorkerScript: path.join(__dirname, 'fixture-worker.cjs'),
    codexIssuer: process.env.KHALA_CODEX_ISSUER || null,
  });
  const host = await startWebSocketHost(core, {
    port: Number(process.env.KHALA_PORT ?? 0),
    staticDir: path.join(__dirname, 'renderer'),
  });
  writeHostFile(dataDir, { url: `ws://127.0.0.1:${host.port}/ws`, token: host.token });
  // The only place the token is printed; host.json (owner-only) is the other place it lives.
  process.stdout.write(`Khala Fleet Board (browser mode), data in ${dataDir}\n${host.boardUrl}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    await core.close();
    removeHostFile(dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`khala web host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
