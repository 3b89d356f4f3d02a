/**
 * Browser mode: the full core with no Electron, serving the built renderer and the contract over
 * the loopback WebSocket. Prints one URL that carries the token.
 */
import { defaultDataDir } from './data-dir';
import { ROTATE_TOKEN_FLAG, startHeadlessHost, stopHeadlessHost, workerFateOf } from './headless';
import { installProcessGuard } from './process-guard';

/** `npm run web -- --start-fresh`: the owner's answer to a refused store (see the store check). */
const START_FRESH_FLAG = '--start-fresh';

async function main(): Promise<void> {
  installProcessGuard();
  const dataDir = defaultDataDir();
  const started = await startHeadlessHost({
    dataDir,
    outDir: __dirname,
    port: Number(process.env.KHALA_PORT ?? 0),
    startFresh: process.argv.slice(2).includes(START_FRESH_FLAG),
    codexIssuer: process.env.KHALA_CODEX_ISSUER || null,
    rotateToken: process.argv.slice(2).includes(ROTATE_TOKEN_FLAG),
    say: (line) => process.stdout.write(line),
  });
  // The only place the token is printed; host.json (owner-only) is the other place it lives.
  process.stdout.write(`Khala Fleet Board (browser mode), data in ${dataDir}\n${started.host.boardUrl}\n`);

  // Ctrl-C leaves the workers running (the next start re-adopts them) unless started with --stop-workers.
  const workers = workerFateOf(process.argv.slice(2));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(await stopHeadlessHost(started, workers));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`khala web host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
