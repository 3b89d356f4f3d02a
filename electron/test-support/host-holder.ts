/**
 * A host as a real process, for the one-host-per-data-dir tests: takes the host lock, starts a core
 * and writes host.json the way browser mode does, says `ready`, then runs until it is killed.
 * argv: <dataDir> <fixtureWorkerScript>
 */
import { createCore } from '../core';
import { acquireHostLock } from '../core/host-lock';
import { writeHostFile } from '../host/host-file';

/** A made-up URL: host.json only has to name this host; nothing connects to it in these tests. */
const HOLDER_URL = 'ws://127.0.0.1:9/ws';

async function main(): Promise<void> {
  const [dataDir, fixtureWorkerScript] = process.argv.slice(2) as [string, string];
  await acquireHostLock(dataDir);
  createCore({ dataDir, version: 'test', fixtureWorkerScript, log: () => undefined });
  writeHostFile(dataDir, { url: HOLDER_URL, token: 'holder' });
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stdout.write(`refused: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
