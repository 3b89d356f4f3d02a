import { Argument, Command, Option } from 'commander';
import { newRunInputSchema, runControls, type FleetRun, type RunControl, type WorkSourceConfig } from '../../shared/runs';
import { workerTypes } from '../../shared/domain';
import { CliFailure } from '../failure';
import { absolutePath, intFlag, parseInput } from '../input';
import { orDash, table } from '../output';
import { verb } from '../verb';

const RUN_FLAGS: Record<string, string> = {
  repoPath: '--repo',
  verifyCommand: '--verify',
  workerKind: '--worker',
  workerType: '--type',
  targetConcurrency: '--concurrency',
  maxPerAccount: '--max-per-account',
  stopCondition: '--stop',
  targetCount: '--target-count',
  createPrOnCloseout: '--create-pr',
  source: 'the work source (--issues, --tasks or --fixture-units)',
};

export function runVerbs(): Command[] {
  const run = new Command('run').description('Sustained runs: start one (it waits for your approval), follow it, steer it');

  verb(
    run
      .command('start')
      .description("Start a run from the New run dialog's fields; nothing is claimed or spent before `khala approve <run>`")
      .requiredOption('--name <name>', 'the run\'s name')
      .option('--issues <owner/name>', 'work source: open GitHub issues of this repository')
      .option('--api-base-url <url>', 'with --issues: a GitHub Enterprise API')
      .option('--exclude-label <label...>', 'with --issues: skip issues with these labels')
      .option('--tasks <file>', 'work source: a Markdown checklist or JSON-lines task file')
      .option('--fixture-units <n>', 'work source: this many no-spend fixture units')
      .requiredOption('--repo <path>', 'the local clone worktrees are made from')
      .option('--branch <name>', "the branch they start at (default: the repository's current branch)", '')
      .requiredOption('--verify <command>', 'the command that proves each unit')
      .addOption(new Option('--worker <kind>', 'which workers run the units').choices(['fixture', 'claude', 'codex', 'auto']).default('auto'))
      .addOption(new Option('--type <type>', 'worker type (tool limits)').choices([...workerTypes]).default('code-run'))
      .option('--concurrency <n>', 'target workers at once', '1')
      .option('--max-per-account <n>', 'at most this many at once on one account', '1')
      .addOption(new Option('--stop <condition>', 'when the run completes').choices(['backlog_empty', 'target_count', 'manual']).default('backlog_empty'))
      .option('--target-count <n>', 'with --stop target_count: complete after this many closeouts')
      .option('--fixture-duration-ms <ms>', 'fixture workers: how long each scripted run takes')
      .option('--create-pr', 'commit, push and open a pull request for each unit at its successful closeout'),
    async (context, _args, options) => {
      const input = parseInput(
        newRunInputSchema,
        {
          name: options.name,
          source: workSource(options),
          repoPath: absolutePath(options.repo),
          branch: options.branch,
          verifyCommand: options.verify,
          workerKind: options.worker,
          workerType: options.type,
          targetConcurrency: intFlag(options.concurrency, '--concurrency'),
          maxPerAccount: intFlag(options.maxPerAccount, '--max-per-account'),
          stopCondition: options.stop,
          targetCount: intFlag(options.targetCount, '--target-count'),
          fixtureDurationMs: intFlag(options.fixtureDurationMs, '--fixture-duration-ms'),
          createPrOnCloseout: options.createPr === true ? true : undefined,
        },
        RUN_FLAGS,
      );
      const created = await (await context.host()).invoke('runs.create', input);
      if (context.out.json) return void context.out.data(created);
      context.out.line(created.id);
      context.out.note(`Run ${created.name} is a draft: nothing is claimed or spent before you approve it (khala approve ${created.id}, or the Inbox).`);
    },
  );

  verb(
    run.command('status').description('Every run, or one run with its log').argument('[runId]', 'the run'),
    async (context, [runId]) => {
      const client = await context.host();
      if (!runId) {
        const runs = await client.invoke('runs.list', {});
        if (context.out.json) return void context.out.data(runs);
        if (runs.length === 0) return void context.out.line('No runs yet. Start one with: khala run start --help');
        return void context.out.line(table(['id', 'name', 'state', 'done', 'failed', 'active', 'queued', 'waiting'], runs.map(runRow)).trimEnd());
      }
      const { run: one, log } = await client.invoke('runs.get', { runId });
      if (context.out.json) return void context.out.data({ run: one, log });
      const { out } = context;
      out.line(`${one.id}  ${one.name}  ${one.state}${one.approvedAt ? '' : ' (awaiting approval)'}`);
      out.line(`source ${describeSource(one.source)}; ${one.workerKind} workers (${one.workerType}), target ${one.targetConcurrency}, ${one.maxPerAccount} per account`);
      out.line(`done ${one.counts.done}, failed ${one.counts.failed}, active ${one.counts.active}, queued ${one.counts.queued}; capacity ${one.capacity.free}/${one.capacity.total}`);
      if (one.waiting) out.line(`waiting: ${one.waiting}${one.waitingDetail ? ` (${one.waitingDetail})` : ''}`);
      if (log.length > 0) {
        out.line();
        out.line(table(['at', 'unit', 'kind', 'reason', 'assignment'], log.map((entry) => [entry.at, entry.unitKey, entry.kind, orDash(entry.reason), orDash(entry.assignmentId)])).trimEnd());
      }
    },
  );

  verb(
    run
      .command('control')
      .description('Pause, resume, drain or stop a run')
      .argument('<runId>', 'the run')
      .addArgument(new Argument('<control>', 'what to do').choices([...runControls])),
    async (context, [runId = '', control = '']) => {
      const updated = await (await context.host()).invoke('runs.control', { runId, control: control as RunControl });
      if (context.out.json) return void context.out.data(updated);
      context.out.line(`${updated.id} is ${updated.state}`);
    },
  );

  const inbox = verb(new Command('inbox').description('What needs you, highest priority first'), async (context) => {
    const items = await (await context.host()).invoke('inbox.list', {});
    if (context.out.json) return void context.out.data(items);
    if (items.length === 0) return void context.out.line('Nothing needs you.');
    for (const item of items) {
      const refs = Object.entries(item.refs).map(([name, value]) => `${name} ${value}`).join(', ');
      context.out.line(`${item.severity.toUpperCase()}  ${item.kind}  ${item.title}`);
      context.out.line(`  ${item.detail}`);
      if (refs) context.out.line(`  ${refs}`);
      const approvable = item.action.kind === 'approve' ? item.action.runId : item.action.kind === 'approve_spawn' ? item.action.spawnId : null;
      if (approvable) context.out.line(`  ${item.actionLabel}: khala approve ${approvable}`);
    }
  });

  const approve = verb(
    new Command('approve')
      .description('Approve what waits for you in the Inbox: a run (its one approval) or a spawn an agent asked for')
      .argument('<ref>', 'the run id or spawn id, as the Inbox names it'),
    async (context, [ref = '']) => {
      const client = await context.host();
      const items = await client.invoke('inbox.list', {});
      const waiting = items.find((item) => (item.action.kind === 'approve' && item.action.runId === ref) || (item.action.kind === 'approve_spawn' && item.action.spawnId === ref));
      if (!waiting) throw new CliFailure('nothing_to_approve', `Nothing in the Inbox waits for approval under ${ref}. See what does: khala inbox`);
      if (waiting.action.kind === 'approve') {
        const approved = await client.invoke('runs.approve', { runId: ref });
        if (context.out.json) return void context.out.data(approved);
        return void context.out.line(`Approved run ${approved.name} (${approved.id}): it is ${approved.state}.`);
      }
      const spawn = await client.invoke('spawns.approve', { spawnId: ref });
      if (context.out.json) return void context.out.data(spawn);
      if (spawn.fleetId) return void context.out.line(`Approved spawn ${spawn.id}: fleet launched from ${spawn.fleetRoot}. Follow it: khala dag status ${spawn.fleetRoot} --watch`);
      context.out.line(`Approved spawn ${spawn.id}: assignment ${spawn.assignmentId}. Follow it: khala tail ${spawn.assignmentId}`);
    },
  );
  return [run, inbox, approve];
}

function workSource(options: Record<string, unknown>): WorkSourceConfig | undefined {
  const given = [options.issues, options.tasks, options.fixtureUnits].filter((value) => value !== undefined);
  if (given.length !== 1) throw CliFailure.invalidInput('Give exactly one work source: --issues <owner/name>, --tasks <file> or --fixture-units <n>.');
  if (options.issues !== undefined) {
    return {
      kind: 'github',
      repository: String(options.issues),
      apiBaseUrl: options.apiBaseUrl === undefined ? '' : String(options.apiBaseUrl),
      excludeLabels: (options.excludeLabel as string[] | undefined) ?? [],
    };
  }
  if (options.tasks !== undefined) return { kind: 'task_list', path: absolutePath(options.tasks) ?? '' };
  return { kind: 'fixture', units: intFlag(options.fixtureUnits, '--fixture-units') ?? 0 };
}

function describeSource(source: WorkSourceConfig): string {
  if (source.kind === 'github') return `GitHub ${source.repository}`;
  if (source.kind === 'task_list') return `task file ${source.path}`;
  return `${source.units} fixture units`;
}

function runRow(run: FleetRun): string[] {
  return [run.id, run.name, run.state, String(run.counts.done), String(run.counts.failed), String(run.counts.active), String(run.counts.queued), orDash(run.waiting)];
}
