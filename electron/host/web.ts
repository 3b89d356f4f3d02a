/**
 * Browser mode: the full core with no Electron, serving the built renderer and the contract over
 * the loopback WebSocket. Prints one URL that carries the token.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCore } from '../core';
import { acquireHostLock } from '../core/host-lock';
import { startFreshIfUnrecognized } from '../core/store/store-check';
import { defaultDataDir } from './data-dir';
import { removeHostFile, writeHostFile } from './host-file';
import { installProcessGuard } from './process-guard';
import { startWebSocketHost } from './ws';

/** `npm run web -- --start-fresh`: the owner's answer to a refused store (see the store check). */
const START_FRESH_FLAG = '--start-fresh';

async function main(): Promise<void> {
  installProcessGuard();
  const dataDir = defaultDataDir();
  // Before anything touches the data dir: a second host on it refuses here and changes nothing.
  const lock = await acquireHostLock(dataDir);
  if (process.argv.slice(2).includes(START_FRESH_FLAG)) {
    const aside = startFreshIfUnrecognized(dataDir);
    process.stdout.write(
      aside
        ? `Started fresh: the old store, runs/ and worktrees/ are in ${aside}\n`
        : `The store in ${dataDir} is recognized, so nothing was moved aside.\n`,
    );
  }
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
    await lock.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`khala web host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
