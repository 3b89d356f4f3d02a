import { AssignmentStore } from './assignments/assignment-store';
import { TaskService } from './assignments/task-service';
import { ConnectionHub, type Connection } from './connection';
import { hostHandlers } from './handlers/host-handlers';
import { taskHandlers } from './handlers/task-handlers';
import { terminalHandlers } from './handlers/terminal-handlers';
import { createRouter, type Handlers, type Logger, type Router } from './router';
import { openDatabase } from './store/database';
import { fixtureAdapter } from './workers/fixture-adapter';

/** How the core starts a Node script as a child (plain `node`, or Electron's binary run as Node). */
export interface NodeLauncher {
  command: string;
  env: Record<string, string>;
}

export interface CoreOptions {
  /** The app's data dir: fleet.sqlite, runs/, worktrees/ live here. */
  dataDir: string;
  version: string;
  /** Absolute path of the bundled fixture worker (out/fixture-worker.cjs). */
  fixtureWorkerScript: string;
  node?: NodeLauncher;
  log?: Logger;
}

export interface Core {
  readonly dataDir: string;
  readonly router: Router;
  /** Attach a face; the returned function detaches it (and drops its pane subscriptions). */
  connect(connection: Connection): () => void;
  /** Stop every worker (process groups), finish writes, close the store. */
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const log = options.log ?? ((message: string) => console.error(`[core] ${message}`));
  const db = openDatabase(options.dataDir);
  const store = new AssignmentStore(db);
  const hub = new ConnectionHub();
  const node = options.node ?? { command: process.execPath, env: {} };
  const tasks = new TaskService({
    db,
    store,
    hub,
    dataDir: options.dataDir,
    adapters: { fixture: fixtureAdapter(options.fixtureWorkerScript, node) },
    log,
  });
  hub.onConnectionClosed((connection) => {
    for (const pane of tasks.livePanes()) pane.detach(connection.id);
  });

  const handlers: Handlers = {
    ...hostHandlers({ version: options.version, dataDir: options.dataDir }),
    ...taskHandlers(tasks, store),
    ...terminalHandlers(tasks, store, options.dataDir),
  };
  let closing: Promise<void> | null = null;
  return {
    dataDir: options.dataDir,
    router: createRouter(handlers, log),
    connect: (connection) => hub.add(connection),
    close() {
      closing ??= tasks.shutdown().then(() => {
        db.close();
      });
      return closing;
    },
  };
}
