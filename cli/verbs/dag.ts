import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fleetFileSchema, type FleetDetail, type FleetFeedEntry, type FleetWorkerView } from '../../shared/fleets';
import { fleetAscii, fleetMermaid } from '../../electron/core/fleets/graph-text';
import { kahnLayers } from '../../electron/core/fleets/layers';
import { CliFailure, EXIT } from '../failure';
import type { HostClient } from '../host-client';
import { orDash, table } from '../output';
import { verb, type VerbContext } from '../verb';
import { followPane } from './tasks';

/** A worker's last message in the status table; `-v` shows it whole. */
const LAST_MESSAGE_CHARS = 60;

/** A fleet as the seed's scripts take it: a name, or a root path (made absolute from here). */
export function fleetRef(value: string): string {
  return value.includes('/') || value.startsWith('.') ? path.resolve(value) : value;
}

export function dagVerbs(): Command {
  const dag = new Command('dag').description("DAG fleets, as the dag-fleet seed's scripts: launch, status, kill, relaunch-worker, report, view, feed, viz");

  verb(dag.command('launch').description('Register a fleet folder (fleet.json + workers/<id>/prompt.md) and start its first layer').argument('<root>', 'the fleet root'), async (context, [root = '']) => {
    const detail = await (await context.host()).invoke('fleets.launch', { root: path.resolve(root) });
    if (context.out.json) return void context.out.data(detail);
    printFleet(detail, false);
    context.out.line();
    context.out.line(`Follow it: khala dag status ${detail.summary.name} --watch`);
  });

  verb(
    dag
      .command('status')
      .description("What is running and done, the spend and each worker's last message")
      .argument('<fleet>', 'the fleet name or root')
      .option('-v, --verbose', 'reasons, last activity and whole last messages')
      .option('--watch', 'redraw on every change until the fleet ends (Ctrl-C stops)'),
    async (context, [fleet = ''], options) => {
      const client = await context.host();
      const ref = fleetRef(fleet);
      const verbose = options.verbose === true;
      const detail = await client.invoke('fleets.get', { fleet: ref });
      if (!options.watch) {
        if (context.out.json) return void context.out.data(detail);
        return void printFleet(detail, verbose);
      }
      await watchFleet(context, client, ref, detail, verbose);
    },
  );

  verb(
    dag
      .command('kill')
      .description("The operator's hard stop: one worker (its whole process tree) or all")
      .argument('<fleet>', 'the fleet name or root')
      .argument('<worker>', 'a worker id, or all')
      .option('--force', 'SIGKILL at once rather than after the grace period'),
    async (context, [fleet = '', worker = ''], options) => {
      const detail = await (await context.host()).invoke('fleets.kill', { fleet: fleetRef(fleet), worker, force: options.force === true });
      if (context.out.json) return void context.out.data(detail);
      const killed = detail.workers.filter((w) => w.state === 'killed').map((w) => w.id);
      context.out.line(`Killed in ${detail.summary.name}: ${killed.length > 0 ? killed.join(', ') : 'none'}`);
    },
  );

  verb(
    dag
      .command('relaunch-worker')
      .description('Re-run one ended worker from its (edited) prompt.md; its previous session log is kept as .bak')
      .argument('<fleet>', 'the fleet name or root')
      .argument('<worker>', 'the worker id'),
    async (context, [fleet = '', workerId = '']) => {
      const detail = await (await context.host()).invoke('fleets.relaunch', { fleet: fleetRef(fleet), workerId });
      if (context.out.json) return void context.out.data(detail);
      const worker = detail.workers.find((w) => w.id === workerId);
      context.out.line(`Relaunched ${workerId} in ${detail.summary.name}: ${worker?.state ?? 'unknown'}`);
    },
  );

  verb(dag.command('report').description('Write report.md in the fleet root and print it').argument('<root>', 'the fleet root or name'), async (context, [root = '']) => {
    const report = await (await context.host()).invoke('fleets.report', { fleet: fleetRef(root) });
    if (context.out.json) return void context.out.data(report);
    process.stdout.write(report.markdown.endsWith('\n') ? report.markdown : `${report.markdown}\n`);
    context.out.note(`Written to ${report.path}`);
  });

  verb(
    dag.command('view').description("A worker's pane text (its transcript so far)").argument('<fleet>', 'the fleet name or root').argument('<worker>', 'the worker id'),
    async (context, [fleet = '', workerId = '']) => {
      const client = await context.host();
      const detail = await client.invoke('fleets.get', { fleet: fleetRef(fleet) });
      const worker = detail.workers.find((w) => w.id === workerId);
      if (!worker) throw new CliFailure('fleet_worker_not_found', `Fleet ${detail.summary.name} has no worker ${workerId}.`);
      if (!worker.assignmentId) throw new CliFailure('worker_not_started', `${workerId} has not started yet (${worker.state}${worker.reason ? `: ${worker.reason}` : ''}).`);
      await followPane(context, client, worker.assignmentId, false);
    },
  );

  verb(
    dag
      .command('feed')
      .description('The unified event feed across the workers, following live (Ctrl-C stops)')
      .argument('<fleet>', 'the fleet name or root')
      .option('--agent <id>', 'one worker only')
      .option('--no-follow', 'print what is there and exit'),
    async (context, [fleet = ''], options) => {
      const client = await context.host();
      const ref = fleetRef(fleet);
      const agent = options.agent === undefined ? undefined : String(options.agent);
      const { summary } = await client.invoke('fleets.get', { fleet: ref });
      await followFeed(context, client, { ref, fleetId: summary.id, agent, follow: options.follow !== false });
    },
  );

  verb(
    dag
      .command('viz')
      .description('Draw a fleet.json offline, layer by layer (ASCII) or as Mermaid; a cycle prints CYCLE:a,b,... and exits 2')
      .argument('<fleet.json>', 'the fleet file')
      .option('--mermaid', 'Mermaid `graph TD` instead of ASCII'),
    async (context, [file = ''], options) => {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path.resolve(file), 'utf8'));
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not JSON';
        throw CliFailure.invalidInput(`${file}: ${reason}`);
      }
      const parsed = fleetFileSchema.safeParse(raw);
      if (!parsed.success) throw CliFailure.invalidInput(`${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'fleet'}: ${issue.message}`).join('; ')}`);
      const workers = parsed.data.workers.map((worker) => ({ id: worker.id, dependsOn: worker.depends_on }));
      const layered = kahnLayers(workers);
      if (!layered.ok) throw new CliFailure('fleet_cycle', `CYCLE:${layered.cycle.join(',')}`, EXIT.invalidInput);
      if (context.out.json) return void context.out.data({ fleetName: parsed.data.fleet_name, layers: layered.layers, ascii: fleetAscii(layered.layers, workers), mermaid: fleetMermaid(workers) });
      process.stdout.write(options.mermaid ? fleetMermaid(workers) : fleetAscii(layered.layers, workers));
    },
  );
  return dag;
}

function spendText(spend: FleetDetail['summary']['spend']): string {
  if (spend.truth === 'none') return 'no spend';
  return `$${spend.usd.toFixed(2)}${spend.truth === 'estimate' ? ` (estimate, ${spend.priceTable})` : ''}`;
}

function fleetFrame(detail: FleetDetail, verbose: boolean): string {
  const { summary } = detail;
  const budget = summary.maxBudgetFleet === null ? '' : ` of $${summary.maxBudgetFleet.toFixed(2)}${summary.budgetReached ? ' (budget reached)' : ''}`;
  const head = `${summary.name}  ${summary.state}  layers ${summary.layersDone}/${summary.layerCount}  max ${summary.maxConcurrent} at once  ${spendText(summary.spend)}${budget}\n${summary.root}\n\n`;
  const headers = verbose ? ['id', 'layer', 'state', 'provider', 'turns', 'tokens', 'spend', 'reason', 'last activity', 'last message'] : ['id', 'layer', 'state', 'provider', 'turns', 'tokens', 'spend', 'last message'];
  const rows = detail.workers.map((worker) => workerRow(worker, verbose));
  return head + table(headers, rows);
}

function workerRow(worker: FleetWorkerView, verbose: boolean): string[] {
  const message = worker.lastMessage.replace(/\s+/g, ' ').trim();
  const shown = verbose || message.length <= LAST_MESSAGE_CHARS ? message : `${message.slice(0, LAST_MESSAGE_CHARS - 1)}…`;
  const cells = [worker.id, String(worker.layer), worker.state, worker.provider, String(worker.turns), String(worker.tokens.total), spendText(worker.spend)];
  return verbose ? [...cells, orDash(worker.reason), orDash(worker.lastActivityAt), orDash(shown)] : [...cells, orDash(shown)];
}

function printFleet(detail: FleetDetail, verbose: boolean): void {
  process.stdout.write(fleetFrame(detail, verbose));
}

/** Redraws (a TTY) or reprints (piped) on every change of this fleet, until it is no longer running or Ctrl-C. */
async function watchFleet(context: VerbContext, client: HostClient, ref: string, first: FleetDetail, verbose: boolean): Promise<void> {
  const stopped = context.interrupted;
  const show = (detail: FleetDetail) => (context.out.json ? process.stdout.write(`${JSON.stringify(detail)}\n`) : context.out.redraw(fleetFrame(detail, verbose)));
  show(first);
  if (first.summary.state !== 'running') return;
  let refreshing = Promise.resolve();
  await new Promise<void>((resolve, reject) => {
    const stop = client.on('fleet.updated', (summary) => {
      if (summary.id !== first.summary.id) return;
      // One read at a time, in order: the last frame is the newest state.
      refreshing = refreshing.then(async () => {
        const detail = await client.invoke('fleets.get', { fleet: ref });
        show(detail);
        if (detail.summary.state !== 'running') finish();
      }, reject);
    });
    const finish = () => {
      stop();
      resolve();
    };
    void stopped.then(finish);
  });
  await refreshing;
}

function feedLine(entry: FleetFeedEntry): string {
  return `${entry.at}  ${entry.workerId}  ${entry.kind}  ${entry.text.replace(/\n/g, ' ')}`;
}

/** Pages the feed from the start, then prints live lines by cursor, so none is lost or printed twice. */
async function followFeed(
  context: VerbContext,
  client: HostClient,
  feed: { ref: string; fleetId: string; agent: string | undefined; follow: boolean },
): Promise<void> {
  // Taken before the first line is printed, so a Ctrl-C that answers it ends the follow cleanly.
  const stopped = feed.follow ? context.interrupted : null;
  let cursor = 0;
  let paging = true;
  const live: FleetFeedEntry[] = [];
  const print = (entry: FleetFeedEntry) => {
    if (entry.cursor <= cursor) return;
    if (feed.agent !== undefined && entry.workerId !== feed.agent) return;
    cursor = entry.cursor;
    if (context.out.json) process.stdout.write(`${JSON.stringify(entry)}\n`);
    else context.out.line(feedLine(entry));
  };
  const stop = client.on('fleet.feed', ({ fleetId, entries }) => {
    if (fleetId !== feed.fleetId) return;
    if (paging) live.push(...entries);
    else entries.forEach(print);
  });
  try {
    for (;;) {
      const page = await client.invoke('fleets.feed', { fleet: feed.ref, after: cursor, ...(feed.agent ? { workerId: feed.agent } : {}) });
      page.entries.forEach(print);
      if (page.entries.length === 0) break;
    }
    paging = false;
    live.splice(0).forEach(print);
    if (stopped) await stopped;
  } finally {
    stop();
  }
}
