import { Command, Option } from 'commander';
import { taskRequestInputSchema, type TaskRequestInput } from '../../shared/contract';
import type { Card, Closeout, WorkerKind } from '../../shared/domain';
import { CliFailure, EXIT } from '../failure';
import type { HostClient } from '../host-client';
import { absolutePath, intFlag, parseInput, titleFromPrompt } from '../input';
import { verb, type VerbContext } from '../verb';

/** `auto` asks the host for a Claude worker, then a Codex one: the host's capacity rule decides which can run. */
const AUTO_ORDER: readonly WorkerKind[] = ['claude', 'codex'];
/** Characters `tail` acknowledges at once: the host's flow control pauses a worker above its high watermark. */
const ACK_BATCH_CHARS = 4_096;
/** Colours (the only escapes a pane keeps) are dropped when the output is piped, as `gh` does. */
// eslint-disable-next-line no-control-regex -- matching the escape sequence is the point
const SGR = /\x1b\[[0-9;]*m/g;

export const REQUEST_FLAGS: Record<string, string> = {
  repoPath: '--repo',
  verifyCommand: '--verify',
  workerKind: '--worker',
  accountRef: '--account',
  maxTurns: '--max-turns',
  'fixture.durationMs': '--fixture-duration-ms',
};

export function taskVerbs(): Command[] {
  const request = verb(
    new Command('request')
      .description('One bounded task (the seed\'s rung 1): a worker in a worktree at the pinned commit, then verify and closeout')
      .requiredOption('--prompt <text>', 'what the worker should do')
      .requiredOption('--repo <path>', 'the local repository')
      .option('--branch <name>', 'the branch the repository must be on')
      .option('--commit <sha>', 'the commit the repository must be at')
      .requiredOption('--verify <command>', 'the command that proves the work (run in the worktree)')
      .option('--title <text>', 'the card\'s title (default: the prompt\'s first line)')
      .addOption(new Option('--worker <kind>', 'which worker runs it').choices(['fixture', 'claude', 'codex', 'auto']).default('auto'))
      .option('--account <ref>', 'run on this account (default: a ready one with a free slot)')
      .option('--model <name>', 'the model to ask for')
      .option('--max-turns <n>', 'stop the worker after this many turns')
      .option('--fixture', 'the no-spend fixture worker (same as --worker fixture)')
      .option('--fixture-duration-ms <ms>', 'fixture worker: how long its scripted run takes'),
    async (context, _args, options) => {
      const kind = options.fixture ? 'fixture' : String(options.worker);
      const prompt = String(options.prompt);
      const base = {
        title: options.title ?? titleFromPrompt(prompt),
        prompt,
        repoPath: absolutePath(options.repo),
        verifyCommand: options.verify,
        accountRef: options.account,
        model: options.model,
        maxTurns: intFlag(options.maxTurns, '--max-turns'),
        branch: options.branch,
        commit: options.commit,
        ...(options.fixtureDurationMs === undefined ? {} : { fixture: { durationMs: intFlag(options.fixtureDurationMs, '--fixture-duration-ms') } }),
      };
      const kinds = kind === 'auto' ? AUTO_ORDER : [kind];
      const inputs = kinds.map((workerKind) => parseInput(taskRequestInputSchema, { ...base, workerKind }, REQUEST_FLAGS));
      const client = await context.host();
      const card = await requestFirstRunnable(client, inputs);
      if (context.out.json) return void context.out.data(card);
      context.out.line(card.assignmentId);
      context.out.note(`${card.workerKind} worker on ${card.accountRef}, ${card.repo.branch} at ${card.repo.commit.slice(0, 12)}. Follow it: khala tail ${card.assignmentId}; check it: khala closeout ${card.assignmentId}`);
    },
  );

  const closeout = verb(
    new Command('closeout')
      .description('The closeout checklist of an assignment: ok, each check and the blockers (exit 1 unless ok)')
      .argument('<assignmentRef>', 'the assignment (as `khala request` printed it)')
      .option('--wait', 'wait for the closeout if the worker is still running'),
    async (context, [assignmentId = ''], options) => {
      const client = await context.host();
      let detail = await client.invoke('assignments.get', { assignmentId });
      if (options.wait && detail.card.closeout.status === 'pending') {
        await waitForCloseout(context, client, assignmentId);
        detail = await client.invoke('assignments.get', { assignmentId });
      }
      const card = detail.card;
      const summary = closeoutSummary(card);
      if (context.out.json) context.out.data({ assignmentRef: assignmentId, ...summary, closeout: card.closeout, reconciliation: detail.reconciliation });
      else printCloseout(context, card, card.closeout);
      return summary.ok ? EXIT.ok : EXIT.failed;
    },
  );

  const tail = verb(
    new Command('tail')
      .description("A worker's live transcript (its pane), until it ends; Ctrl-C stops following. --json: one line per chunk, with its offset")
      .argument('<assignmentRef>', 'the assignment'),
    async (context, [assignmentId = '']) => {
      const client = await context.host();
      await client.invoke('assignments.get', { assignmentId });
      await followPane(context, client, assignmentId, true);
    },
  );
  return [request, closeout, tail];
}

async function requestFirstRunnable(client: HostClient, inputs: TaskRequestInput[]): Promise<Card> {
  for (const [index, input] of inputs.entries()) {
    try {
      return await client.invoke('tasks.request', input);
    } catch (error) {
      const last = index === inputs.length - 1;
      if (last || !(error instanceof CliFailure) || error.code !== 'no_ready_account') throw error;
    }
  }
  throw new CliFailure('invalid_input', 'No worker kind was given.', EXIT.invalidInput);
}

/** The seed's closeout answer: `ok` only with a closed, passing checklist. */
export function closeoutSummary(card: Card): { ok: boolean; status: Closeout['status']; blockers: string[] } {
  return { ok: card.closeout.status === 'ok', status: card.closeout.status, blockers: [...card.closeout.blockers, ...card.blockers] };
}

function printCloseout(context: VerbContext, card: Card, closeout: Closeout): void {
  const { out } = context;
  out.line(`${card.assignmentId}  ${card.workUnit.title}`);
  out.line(`state ${card.state}, closeout ${closeout.status}${closeout.status === 'pending' ? ' (the worker has not finished; add --wait)' : ''}`);
  out.line(`ok: ${closeout.status === 'ok'}`);
  for (const check of closeout.checks) {
    const mark = check.notApplicable ? 'n/a ' : check.ok ? 'ok  ' : 'FAIL';
    out.line(`  ${mark} ${check.name}${check.detail ? `: ${check.detail}` : ''}`);
  }
  const blockers = closeoutSummary(card).blockers;
  out.line(`blockers: ${blockers.length > 0 ? blockers.join(', ') : 'none'}`);
  if (closeout.proof) out.line(`paymentMode: ${closeout.proof.paymentMode}, payoutClaimAllowed: ${closeout.proof.payoutClaimAllowed}`);
  out.line(`tokens: ${card.tokens.text}`);
}

/** Resolves once the assignment's card has a closeout (its card.updated says so), or on Ctrl-C. */
async function waitForCloseout(context: VerbContext, client: HostClient, assignmentId: string): Promise<void> {
  if (!context.out.json) context.out.note(`Waiting for ${assignmentId} to close out… (Ctrl-C stops waiting)`);
  await new Promise<void>((resolve, reject) => {
    const stop = client.on('card.updated', (card) => {
      if (card.assignmentId === assignmentId && card.closeout.status !== 'pending') done();
    });
    const done = () => {
      stop();
      resolve();
    };
    void context.interrupted.then(() => {
      stop();
      reject(new CliFailure('interrupted', 'Stopped waiting; the worker goes on.'));
    });
    // It may have closed between the first read and the subscription.
    void client.invoke('assignments.get', { assignmentId }).then((detail) => detail.card.closeout.status !== 'pending' && done(), reject);
  });
}

/**
 * Prints a pane: the scrollback the host replays, then (when following) its live output, acknowledged
 * as it is written so the host's flow control never pauses the worker for this reader.
 */
export async function followPane(context: VerbContext, client: HostClient, paneId: string, follow: boolean): Promise<void> {
  // Taken before anything is printed, so a Ctrl-C that answers the output ends the follow cleanly.
  const stopped = follow ? context.interrupted : null;
  let end = 0;
  let unacked = 0;
  let finished = false;
  let attached = false;
  const early: { start: number; data: string }[] = [];
  let wake: (() => void) | null = null;
  // Live chunks are numbered: whatever lies before what was already written is dropped, so nothing shows twice.
  const writeChunk = (start: number, data: string) => {
    const skipped = Math.max(0, end - start);
    const fresh = data.slice(skipped);
    end = Math.max(end, start + data.length);
    if (!fresh) return;
    // --json: one line per chunk with its offset in the pane's stream, so a script can resume or join them.
    if (context.out.json) process.stdout.write(`${JSON.stringify({ paneId, offset: start + skipped, data: fresh })}\n`);
    else process.stdout.write(context.out.tty ? fresh : fresh.replace(SGR, ''));
  };
  const stopData = client.on('terminal.data', ({ paneId: id, start, data }) => {
    if (id !== paneId) return;
    if (attached) writeChunk(start, data);
    else early.push({ start, data });
    unacked += data.length;
    if (unacked >= ACK_BATCH_CHARS) {
      void client.invoke('terminal.ack', { paneId, chars: unacked }).catch(() => undefined);
      unacked = 0;
    }
  });
  const stopFinished = client.on('terminal.finished', ({ paneId: id }) => {
    if (id !== paneId) return;
    finished = true;
    wake?.();
  });
  try {
    const replay = await client.invoke('terminal.attach', { paneId });
    writeChunk(replay.end - replay.scrollback.length, replay.scrollback);
    attached = true;
    for (const chunk of early.splice(0)) writeChunk(chunk.start, chunk.data);
    if (!stopped || replay.finished || finished) return;
    await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stopped]);
  } finally {
    stopData();
    stopFinished();
    await client.invoke('terminal.detach', { paneId }).catch(() => undefined);
  }
}
