import { AccountService } from './accounts/account-service';
import { AccountStore } from './accounts/account-store';
import { DEFAULT_LOGIN_TIMEOUTS, type LoginTimeouts } from './accounts/login-session';
import { SecretStore, type SecretCipher } from './accounts/secrets';
import { AssignmentStore } from './assignments/assignment-store';
import { TaskService, type WorkerFate } from './assignments/task-service';
import { SupervisionStore } from './assignments/supervision-store';
import { ConnectionHub, type Connection } from './connection';
import { accountHandlers } from './handlers/account-handlers';
import { agentHandlers, dismissingMcpFailures } from './handlers/agent-handlers';
import { McpFailures } from './agents/mcp-failures';
import { SpawnRequests } from './agents/spawn-requests';
import { fleetHandlers } from './handlers/fleet-handlers';
import { FLEET_TICK_MS, FleetService } from './fleets/fleet-service';
import { FleetStore } from './fleets/fleet-store';
import { hostHandlers } from './handlers/host-handlers';
import { HostHealth } from './health/host-health';
import { taskHandlers } from './handlers/task-handlers';
import { terminalHandlers } from './handlers/terminal-handlers';
import { createRouter, type Handler, type Handlers, type Logger, type Router } from './router';
import { openCheckedStore } from './store/store-check';
import { runHandlers } from './handlers/run-handlers';
import { reviewHandlers } from './handlers/review-handlers';
import { repoHandlers } from './handlers/repo-handlers';
import { RepoService, type FolderChooser } from './repos/repo-service';
import { RepoStore } from './repos/repo-store';
import { readCardReviews } from './assignments/cards';
import { ReviewService } from './review/review-service';
import { ReviewStore } from './review/review-store';
import { InboxDismissals } from './inbox/dismissals';
import { Inbox, WORKER_SILENT_MS } from './inbox/inbox';
import { RunService } from './runs/run-service';
import { RunStore } from './runs/run-store';
import { SUPERVISOR_TICK_MS, Supervisor } from './runs/supervisor';
import { SupervisorLock } from './runs/supervisor-lock';
import { isShellPane, ShellService } from './shells/shell-service';
import { createWorkSource } from './sources/create-source';
import { PaneRegistry } from './terminal/pane-registry';
import { VIEWER_STALL_TIMEOUT_MS } from '../../shared/constants';
import type { CommandName } from '../../shared/contract';
import { claudeAdapter } from './workers/claude-adapter';
import { codexAdapter } from './workers/codex-adapter';
import { systemClock, type Clock } from './accounts/capacity';
import { fixtureAdapter } from './workers/fixture-adapter';
import { maskSecrets } from '../../shared/secret-mask';
import os from 'node:os';

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
  /**
   * Extra environment for Claude and Codex workers (e.g. ANTHROPIC_BASE_URL for a proxy, or a local
   * model API in tests); their account home is always set on top.
   */
  providerEnv?: { claude?: Record<string, string>; codex?: Record<string, string> };
  /** Seals stored tokens and API keys (the desktop app's OS keychain); none in browser mode. */
  secretCipher?: SecretCipher | null;
  /** Sends Codex device logins to this issuer instead of the real one (KHALA_CODEX_ISSUER). */
  codexIssuer?: string | null;
  loginTimeouts?: LoginTimeouts;
  /** How often the supervisor ticks (fleet-model.md: about once a second). */
  supervisorTickMs?: number;
  /** How often the DAG fleet scheduler ticks (a closeout pokes it sooner). */
  fleetTickMs?: number;
  /** How long a running worker may log nothing before the Inbox flags it. */
  workerSilentMs?: number;
  /** Below this much free space in the data dir new dispatch pauses (tests trip it without filling a disk). */
  diskMinFreeBytes?: number;
  /** How often the supervisor's tick measures the data dir's free space. */
  diskRecheckMs?: number;
  /** How long a pane viewer may leave output unacknowledged above the high watermark before it is detached. */
  viewerStallTimeoutMs?: number;
  /** The clock cooldowns are read against (tests move it past a reset instead of sleeping). */
  now?: Clock;
  /** The desktop shell's folder dialog (Electron's showOpenDialog); browser mode has none. */
  chooseFolder?: FolderChooser | null;
  /** The owner's home, inside which path completion lists folders (default: the OS's home). */
  ownerHome?: string;
}

export interface Core {
  readonly dataDir: string;
  readonly router: Router;
  /** Attach a face; the returned function detaches it (and drops its pane subscriptions). */
  connect(connection: Connection): () => void;
  /** How many workers (or their verify commands) this host supervises now: a quit with any asks what becomes of them. */
  liveWorkers(): number;
  /**
   * Closes the host. `workers: 'keep'` leaves every worker running in the background (the next start
   * re-adopts them); `'stop'` (the default) kills each worker's tree and closes it out as interrupted.
   * Then it finishes writes and closes the store.
   */
  close(options?: { workers?: WorkerFate }): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const sink = options.log ?? ((message: string) => console.error(`[core] ${message}`));
  // Log lines quote errors, worker output and paths: every one is masked before it leaves the core.
  const log: Logger = (message) => sink(maskSecrets(message));
  // Before anything else touches the data dir: an unrecognized store or a foreign owner stops here.
  const db = openCheckedStore(options.dataDir);
  const store = new AssignmentStore(db);
  const hub = new ConnectionHub();
  const node = options.node ?? { command: process.execPath, env: {} };
  const now = options.now ?? systemClock;
  const health = new HostHealth({
    dataDir: options.dataDir,
    log,
    minFreeBytes: options.diskMinFreeBytes,
    recheckMs: options.diskRecheckMs,
  });
  const panes = new PaneRegistry({
    stallTimeoutMs: options.viewerStallTimeoutMs ?? VIEWER_STALL_TIMEOUT_MS,
    // A transcript pane's id is its assignment's: its fault belongs to that assignment.
    onFault: (paneId, fault) => health.outputFailed(fault, isShellPane(paneId) ? { pane: paneId } : { assignment: paneId }),
    log,
  });
  const accounts = new AccountService({
    store: new AccountStore(db, now),
    secrets: new SecretStore(options.dataDir, options.secretCipher ?? null),
    hub,
    dataDir: options.dataDir,
    codexIssuer: options.codexIssuer ?? null,
    loginTimeouts: options.loginTimeouts ?? DEFAULT_LOGIN_TIMEOUTS,
    now,
  });
  let supervisor: Supervisor | null = null;
  let fleetService: FleetService | null = null;
  let review: ReviewService | null = null;
  const reviews = new ReviewStore(db);
  const reviewProgress = (runId: string) => reviews.stagesOfRun(runId);
  let closing: Promise<void> | null = null;
  const tasks = new TaskService({
    db,
    store,
    supervision: new SupervisionStore(db),
    hub,
    panes,
    accounts,
    // A freed slot is refilled at once rather than at the next tick. A worker that ends while the core
    // closes refills nothing, and a store that fails here is logged: this runs in a promise callback.
    onAssignmentClosed: (assignmentId) => {
      if (closing) return;
      try {
        supervisor?.closed(assignmentId);
        fleetService?.closed(assignmentId);
        // The card's `+N -M, F files` is counted once here, not on every card push.
        void review?.closed(assignmentId).catch((error: unknown) => log(`review after the closeout of ${assignmentId}: ${error instanceof Error ? error.message : String(error)}`));
      } catch (error) {
        log(`after the closeout of ${assignmentId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    dataDir: options.dataDir,
    adapters: {
      fixture: fixtureAdapter(options.fixtureWorkerScript, node),
      claude: claudeAdapter(options.providerEnv?.claude ?? {}),
      codex: codexAdapter(options.providerEnv?.codex ?? {}),
    },
    log,
    health,
  });
  tasks.adoptUnfinished();
  const shells = new ShellService({ store, panes, dataDir: options.dataDir, log });
  shells.endOrphans();
  const runStore = new RunStore(db);
  const lock = new SupervisorLock(options.dataDir);
  let inbox: Inbox | null = null;
  supervisor = new Supervisor({
    db,
    runs: runStore,
    store,
    tasks,
    accounts,
    hub,
    health,
    createSource: (run) => createWorkSource(run.source),
    tickMs: options.supervisorTickMs ?? SUPERVISOR_TICK_MS,
    log,
    afterTick: () => inbox?.refresh(),
    reviewProgress: (runId) => reviewProgress(runId),
    now,
  });
  fleetService = new FleetService({
    fleets: new FleetStore(db),
    store,
    tasks,
    accounts,
    hub,
    health,
    tickMs: options.fleetTickMs ?? FLEET_TICK_MS,
    log,
    changed: () => inbox?.refresh(),
    now,
  });
  const fleets = fleetService;
  const spawns = new SpawnRequests({
    db,
    start: (request) => tasks.createTask(request),
    previewFleet: (root) => fleets.preview(root),
    launchFleet: (root) => fleets.launch(root),
    changed: (spawn) => {
      hub.broadcast('spawn.updated', spawn);
      inbox?.refresh();
    },
  });
  const mcpFailures = new McpFailures(options.dataDir, log);
  inbox = new Inbox({
    runs: runStore,
    store,
    accounts,
    supervisor,
    fleets,
    hub,
    health,
    silentAfterMs: options.workerSilentMs ?? WORKER_SILENT_MS,
    reviewItems: () => review?.inboxItems() ?? [],
    agentItems: () => [...spawns.inboxItems(), ...mcpFailures.inboxItems()],
    dismissals: new InboxDismissals(options.dataDir, log),
    now,
  });
  readCardReviews(store, (assignmentId) => reviews.review(assignmentId));
  review = new ReviewService({
    store,
    reviews,
    runs: runStore,
    tasks,
    hub,
    dataDir: options.dataDir,
    log,
    changed: () => inbox?.refresh(),
    // A completed run is no longer ticked: its progress is pushed when a merge moves it.
    runChanged: (runId) => supervisor?.publish(runStore.get(runId)),
  });
  const reviewService = review;
  const runService = new RunService({
    runs: runStore,
    store,
    tasks,
    supervisor,
    lock,
    createSource: (run) => createWorkSource(run.source),
    changed: () => inbox?.refresh(),
  });
  if (lock.held) {
    supervisor.start();
    fleets.start();
  } else log(`another process (pid ${lock.heldBy}) supervises ${options.dataDir}; this one will not dispatch runs`);
  hub.onConnectionClosed((connection) => panes.detachEverywhere(connection.id));
  // A fault shows in the Inbox at once; a disk with room again dispatches at once.
  health.onChange(() => {
    inbox?.refresh();
    supervisor?.poke();
  });

  const taskGroup = taskHandlers(tasks, store, shells);
  const runGroup = runHandlers(runService, inbox);
  const fleetGroup = fleetHandlers(fleets);
  const repos = new RepoService({
    store: new RepoStore(db, now),
    home: options.ownerHome ?? os.homedir(),
    chooseFolder: options.chooseFolder ?? null,
  });
  const hostGroup = hostHandlers({ version: options.version, dataDir: options.dataDir }, health);
  const agentGroup = agentHandlers(tasks, spawns);
  const handlers: Handlers = {
    ...hostGroup,
    'host.dismissFault': dismissingMcpFailures(hostGroup['host.dismissFault'], mcpFailures, () => inbox?.refresh()),
    ...taskGroup,
    // The repository and verify command of work the owner starts are offered again next time.
    'tasks.create': gatedOnDisk(async (input, connection) => {
      const card = await taskGroup['tasks.create'](input, connection);
      repos.used(card.repo.path, input.verifyCommand);
      return card;
    }, health),
    'assignments.retry': gatedOnDisk(taskGroup['assignments.retry'], health),
    'assignments.followUp': gatedOnDisk(taskGroup['assignments.followUp'], health),
    ...terminalHandlers(panes, store, options.dataDir),
    ...accountHandlers(accounts),
    ...runGroup,
    'runs.create': async (input, connection) => {
      const run = await runGroup['runs.create'](input, connection);
      reviews.setRunOptions(run.id, input.createPrOnCloseout ?? false);
      repos.used(run.repoPath, input.verifyCommand);
      return run;
    },
    ...reviewHandlers(reviewService),
    ...repoHandlers(repos),
    ...fleetGroup,
    'fleets.launch': gatedOnDisk(fleetGroup['fleets.launch'], health),
    'fleets.relaunch': gatedOnDisk(fleetGroup['fleets.relaunch'], health),
    ...agentGroup,
    'tasks.request': gatedOnDisk(agentGroup['tasks.request'], health),
    'spawns.approve': gatedOnDisk(agentGroup['spawns.approve'], health),
  };
  return {
    dataDir: options.dataDir,
    router: createRouter(handlers, log),
    connect: (connection) => hub.add(connection),
    liveWorkers: () => tasks.liveCount,
    close(closeOptions = {}) {
      shells.shutdown();
      closing ??= Promise.all([supervisor.stop(), fleets.stop(), reviewService.shutdown()])
        .then(() => Promise.all([tasks.shutdown(closeOptions.workers ?? 'stop'), accounts.shutdown()]))
        .then(() => {
          lock.release();
          db.close();
        });
      return closing;
    },
  };
}

/** A command that starts a worker: a full disk refuses it with `disk_full` (running workers are kept). */
function gatedOnDisk<K extends CommandName>(handler: Handler<K>, health: HostHealth): Handler<K> {
  return async (input, connection) => {
    await health.assertRoom();
    return handler(input, connection);
  };
}
