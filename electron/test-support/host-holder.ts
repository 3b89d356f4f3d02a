/**
 * A host as a real process, for the one-host-per-data-dir tests: takes the host lock, starts a core
 * and writes host.json the way browser mode does, says `ready`, then runs until it is killed.
 * argv: <dataDir> <fixtureWorkerScript> [repoPath]: with a repo it also asks for one fixture task there,
 * and says `ready` at once rather than after the task's dispatch (which a test may hold up and kill).
 */
import { createCore } from '../core';
import { acquireHostLock } from '../core/host-lock';
import { writeHostFile } from '../host/host-file';

/** A made-up URL: host.json only has to name this host; nothing connects to it in these tests. */
const HOLDER_URL = 'ws://127.0.0.1:9/ws';

async function main(): Promise<void> {
  const [dataDir, fixtureWorkerScript, repoPath] = process.argv.slice(2) as [string, string, string | undefined];
  await acquireHostLock(dataDir);
  const core = createCore({ dataDir, version: 'test', fixtureWorkerScript, log: () => undefined });
  writeHostFile(dataDir, { url: HOLDER_URL, token: 'holder' });
  process.stdout.write('ready\n');
  if (repoPath) {
    const connection = { id: 'holder', transport: 'websocket' as const, emit: () => undefined };
    const task = { title: 'Interrupted', repoPath, prompt: 'Write the task', verifyCommand: 'true', workerKind: 'fixture', fixture: { durationMs: 50 } };
    void core.router.invoke('tasks.create', task, connection);
  }
}

main().catch((error: unknown) => {
  process.stdout.write(`refused: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
