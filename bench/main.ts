/** `npm run bench`: runs every benchmark once and writes docs/benchmarks.md. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureAdoption, type AdoptionFigures } from './adoption';
import { measureConnections, type ConnectionFigures } from './connections';
import { measureFleet, type FleetFigures } from './fleet';
import { measureOutputPath, type OutputPathFigures } from './output-path';

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function machine(): string {
  const git = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, commit ${git}`;
}

function report(output: OutputPathFigures, fleet: FleetFigures, connections: ConnectionFigures, adoption: AdoptionFigures): string {
  return `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString()}; ${machine()}.
These machines are shared and noisy: compare figures from the same run, not across runs.

## Terminal output path

A fixture worker prints ${fixed(output.floodBytes / 1e6, 0)} MB of assistant text.

| path | volume | time | throughput |
| --- | --- | --- | --- |
| worker stdout → plain pipe → file | ${fixed(output.pipe.bytes / 1e6)} MB of raw JSON lines | ${fixed(output.pipe.ms / 1000, 2)} s | ${fixed(output.pipe.mbPerSecond)} MB/s |
| worker → core (parse, transcript, store) → WebSocket → PaneStream → xterm in Chromium, flow-controlled | ${fixed(output.board.chars / 1e6)} M transcript characters | ${fixed(output.board.ms / 1000, 2)} s | ${fixed(output.board.mbPerSecond)} M chars/s |

- Ratio (board path / plain pipe): **${fixed(output.ratio, 3)}**.
- Nothing lost or reordered: **${output.board.intact ? 'yes' : 'NO'}**. The FNV-1a hash and the length of every
  character handed to xterm equal those of the transcript the core kept on disk.
- The board's time runs from \`tasks.create\` to xterm's last write callback, so it includes the
  worktree, the verify command and the closeout (a re-read of the raw log). The card ended \`${output.board.cardState}\`.
- xterm's DOM renderer in headless Chromium parses about 11 MiB/s here (toolchain.md), so the pane
  is the expected bottleneck. Flow control holds the worker back to the pane's pace instead of
  buffering without bound. With at most \`FLOW_CONTROL.highWatermarkChars\` (100,000) unacknowledged,
  throughput is also bounded by that window over the acknowledgement round trip (batch, WebSocket,
  xterm parse, ack). Earlier figures above 10 M chars/s came from a bug that let a fast worker
  overshoot the window within one batch, fixed since.

## Claims

${fixed(fleet.claims.units, 0)} fixture units in one SQLite file (WAL), one claim per unit, each claim its own transaction.

| claimers | claims decided per second |
| --- | --- |
| 1 process | ${fixed(fleet.claims.singlePerSecond, 0)} |
| ${fleet.claims.racers} processes racing for the same units | ${fixed(fleet.claims.racingPerSecond, 0)} (every unit won exactly once; the rest refused as already_claimed) |

## Dispatch latency

A fixture run of ${fleet.dispatch.units} units, ${fleet.dispatch.concurrency} in flight, measured from an assignment's closeout to
the next worker process the supervisor starts (${fleet.dispatch.samples} refills). That path covers the claim, the pinned
commit, the worktree and the spawn.

| median | p95 |
| --- | --- |
| ${fixed(fleet.dispatch.medianMs, 0)} ms | ${fixed(fleet.dispatch.p95Ms, 0)} ms |

## A quiet connection under a flood

One WebSocket client (its own process) sends ${connections.floodInvokes.toLocaleString('en-US')} \`cards.list\` invokes at once, ${connections.waves} times in a row,
while a second connection times \`host.info\` round trips one after another.

| quiet connection | samples | p50 | p95 |
| --- | --- | --- | --- |
| no flood | ${connections.baseline.samples} | ${fixed(connections.baseline.p50Ms, 2)} ms | ${fixed(connections.baseline.p95Ms, 2)} ms |
| during the floods | ${connections.underFlood.samples} | ${fixed(connections.underFlood.p50Ms, 2)} ms | ${fixed(connections.underFlood.p95Ms, 2)} ms |

- The flooder got ${connections.flooder.answered.toLocaleString('en-US')} answers and ${connections.flooder.overloaded.toLocaleString('en-US')} \`overloaded\` refusals. The host takes one frame per
  connection per event-loop turn, so quick invokes are answered in turn with everyone else's; a
  connection may have \`MAX_PENDING_INVOKES\` (${connections.maxPendingInvokes}) invokes in flight, which bites when its invokes wait on
  the disk or a process, and a refusal costs one small write.
- The resident memory of the process holding the host (and the quiet client) went from ${fixed(connections.rssMb.before, 0)} MB to ${fixed(connections.rssMb.after, 0)} MB over the floods.

## Re-adoption after a restart

${adoption.workers} fixture workers, each mid-turn, outlive their host (it quits keeping them; a kill -9 leaves the same
state). A new host starts on the data dir. Times from the start of \`createCore\`:

| host started, every worker re-adopted | every pane attached (replay read) | every worker's output read up to where it was at the restart |
| --- | --- | --- |
| ${fixed(adoption.startMs, 0)} ms | ${fixed(adoption.panesAttachedMs, 0)} ms | ${fixed(adoption.caughtUpMs, 0)} ms |

- ${fixed(adoption.rawBytesAtRestart / 1e3, 0)} kB of raw output was on disk at the restart; each re-adopted runner read on from its
  checkpoint, not from the start.
`;
}

async function main(): Promise<void> {
  const outDir = path.resolve('out');
  const output = await measureOutputPath(outDir);
  const fleet = await measureFleet(outDir);
  const connections = await measureConnections(outDir);
  const adoption = await measureAdoption(outDir);
  writeFileSync('docs/benchmarks.md', report(output, fleet, connections, adoption));
  process.stdout.write(`${JSON.stringify({ output, fleet, connections, adoption }, null, 2)}\n`);
  if (!output.board.intact) {
    process.stderr.write('output path lost or reordered characters\n');
    process.exit(1);
  }
}

void main();
