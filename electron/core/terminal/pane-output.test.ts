import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLOW_CONTROL, SCROLLBACK_REPLAY_CHARS } from '../../../shared/constants';
import type { EventPayload } from '../../../shared/contract';
import { RecordingConnection } from '../../test-support/test-core';
import { tempDir } from '../../test-support/temp-repo';
import { PaneOutput } from './pane-output';

function dataOf(connection: RecordingConnection) {
  return connection.events.filter((e) => e.event === 'terminal.data').map((e) => e.payload as EventPayload<'terminal.data'>);
}

function recordingSource() {
  const calls: string[] = [];
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume') };
}

describe('a pane output stream', () => {
  it('batches writes into one offset-numbered event per interval', async () => {
    const pane = new PaneOutput('asg-1', path.join(tempDir(), 'transcript.log'));
    const viewer = new RecordingConnection();
    pane.attach(viewer);
    pane.write('a');
    pane.write('bc');
    pane.write('def');
    expect(dataOf(viewer)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, FLOW_CONTROL.batchIntervalMs * 4));
    expect(dataOf(viewer)).toEqual([{ paneId: 'asg-1', start: 0, data: 'abcdef' }]);
    pane.write('g');
    pane.flush();
    expect(dataOf(viewer)[1]).toEqual({ paneId: 'asg-1', start: 6, data: 'g' });
    await pane.finish();
  });

  it('pauses the source above the high watermark and resumes below the low one after acks', async () => {
    const pane = new PaneOutput('asg-2', path.join(tempDir(), 'transcript.log'));
    const source = recordingSource();
    pane.setSource(source);
    const viewer = new RecordingConnection();
    pane.attach(viewer);
    pane.write('x'.repeat(FLOW_CONTROL.highWatermarkChars));
    pane.flush();
    expect(source.calls).toEqual([]);
    pane.write('y');
    pane.flush();
    expect(source.calls).toEqual(['pause']);
    expect(pane.isPaused).toBe(true);
    // Acks that leave more than the low watermark outstanding keep the source paused.
    pane.ack(viewer.id, FLOW_CONTROL.highWatermarkChars - FLOW_CONTROL.lowWatermarkChars);
    expect(source.calls).toEqual(['pause']);
    pane.ack(viewer.id, FLOW_CONTROL.ackBatchChars);
    expect(source.calls).toEqual(['pause', 'resume']);
    await pane.finish();
  });

  it('lets a slow viewer that leaves release the pause, and pauses a new source at once while paused', async () => {
    const pane = new PaneOutput('asg-3', path.join(tempDir(), 'transcript.log'));
    const first = recordingSource();
    pane.setSource(first);
    const slow = new RecordingConnection();
    pane.attach(slow);
    pane.write('z'.repeat(FLOW_CONTROL.highWatermarkChars + 1));
    pane.flush();
    const second = recordingSource();
    pane.setSource(second);
    expect(second.calls).toEqual(['pause']);
    pane.detach(slow.id);
    expect(second.calls).toEqual(['pause', 'resume']);
    await pane.finish();
  });

  it('replays everything so far to a late viewer, then continues exactly where replay ended', async () => {
    const file = path.join(tempDir(), 'transcript.log');
    const pane = new PaneOutput('asg-4', file);
    pane.write('first line\n');
    pane.write('second ');
    const late = new RecordingConnection();
    const replay = pane.attach(late);
    expect(replay).toEqual({ scrollback: 'first line\nsecond ', end: 18, finished: false });
    pane.write('line\n');
    await pane.finish();
    expect(dataOf(late)).toEqual([{ paneId: 'asg-4', start: 18, data: 'line\n' }]);
    expect(late.events.at(-1)).toEqual({ event: 'terminal.finished', payload: { paneId: 'asg-4', end: 23 } });
    expect(readFileSync(file, 'utf8')).toBe('first line\nsecond line\n');
  });
});

describe("a pane's replay", () => {
  it('is read back from the transcript file, so the host holds no copy of output already on disk: the last characters, ending at `end`', async () => {
    const file = path.join(tempDir(), 'transcript.log');
    const pane = new PaneOutput('asg-big', file);
    // Multi-byte text past the replay limit: the read from the file's end cuts through a character.
    const line = 'ünïcødé ✓ 漢字 line\n';
    let written = '';
    while (written.length < SCROLLBACK_REPLAY_CHARS + 100_000) {
      pane.write(line.repeat(1_000));
      written += line.repeat(1_000);
    }
    const replay = pane.attach(new RecordingConnection());
    expect(replay.end).toBe(written.length);
    expect(replay.scrollback.length).toBe(SCROLLBACK_REPLAY_CHARS);
    expect(replay.scrollback).toBe(written.slice(-SCROLLBACK_REPLAY_CHARS));
    await pane.finish();
  });

  it('comes from memory once the transcript file has failed (a full disk), as far as it is known', async () => {
    const file = path.join(tempDir(), 'transcript.log');
    symlinkSync('/dev/full', file);
    const faults: string[] = [];
    const pane = new PaneOutput('asg-full', file);
    pane.configure({ onFault: (_paneId, fault) => faults.push(fault.kind) });
    pane.write('kept in memory\n');
    expect(pane.attach(new RecordingConnection())).toEqual({ scrollback: 'kept in memory\n', end: 15, finished: false });
    expect(faults).toEqual(['disk_full']);
    await pane.finish();
  });
});

describe('a pane output stream under a fast source', () => {
  it('pauses as soon as a write crosses the high watermark, before the batch is even sent', async () => {
    const pane = new PaneOutput('asg-5', path.join(tempDir(), 'transcript.log'));
    const source = recordingSource();
    pane.setSource(source);
    const viewer = new RecordingConnection();
    pane.attach(viewer);
    pane.write('a'.repeat(FLOW_CONTROL.highWatermarkChars / 2));
    expect(source.calls).toEqual([]);
    pane.write('b'.repeat(FLOW_CONTROL.highWatermarkChars / 2 + 1));
    expect(source.calls).toEqual(['pause']);
    expect(dataOf(viewer)).toEqual([]);
    pane.flush();
    pane.ack(viewer.id, FLOW_CONTROL.highWatermarkChars + 1);
    expect(source.calls).toEqual(['pause', 'resume']);
    await pane.finish();
  });

  it('keeps a viewer that acks slower than the source within the window, pausing and resuming, with every character in order', async () => {
    // What one read of a child's stdout pipe can hand the core at once.
    const pipeRead = 65_536;
    const pane = new PaneOutput('asg-window', path.join(tempDir(), 'transcript.log'));
    let paused = false;
    let pauses = 0;
    pane.setSource({
      pause: () => {
        paused = true;
        pauses += 1;
      },
      resume: () => (paused = false),
    });
    const viewer = new RecordingConnection();
    pane.attach(viewer);
    const received = () => dataOf(viewer).reduce((sum, chunk) => sum + chunk.data.length, 0);

    const total = 10 * FLOW_CONTROL.highWatermarkChars;
    let sent = '';
    let acked = 0;
    let mostOutstanding = 0;
    let step = 0;
    while (sent.length < total || received() - acked >= FLOW_CONTROL.ackBatchChars) {
      if (!paused && sent.length < total) {
        const text = String.fromCharCode(97 + (step % 26)).repeat(Math.min(pipeRead, total - sent.length));
        pane.write(text);
        sent += text;
      }
      mostOutstanding = Math.max(mostOutstanding, sent.length - acked);
      pane.flush();
      // The viewer parses one ack's worth every other step, slower than the source writes: the window must hold it back.
      if (step % 2 === 0 && received() - acked >= FLOW_CONTROL.ackBatchChars) {
        pane.ack(viewer.id, FLOW_CONTROL.ackBatchChars);
        acked += FLOW_CONTROL.ackBatchChars;
      }
      step += 1;
    }

    // A pause lands on the write that crosses the high watermark, so at most one read overshoots it.
    expect(mostOutstanding).toBeLessThanOrEqual(FLOW_CONTROL.highWatermarkChars + pipeRead);
    expect(pauses).toBeGreaterThan(1);
    // What the viewer parsed and never acknowledged (under one ack batch) does not hold the source paused.
    expect(paused).toBe(false);
    expect(dataOf(viewer).map((chunk) => chunk.data).join('')).toBe(sent);
    await pane.finish();
  });
});

describe('a pane viewer that stops acknowledging', () => {
  it('is detached after the stall timeout: the source resumes, the viewer is told, and an acking viewer keeps counting', async () => {
    const pane = new PaneOutput('asg-6', path.join(tempDir(), 'transcript.log'));
    const logged: string[] = [];
    pane.configure({ stallTimeoutMs: 50, log: (line) => logged.push(line) });
    const source = recordingSource();
    pane.setSource(source);
    const stalled = new RecordingConnection();
    const acking = new RecordingConnection();
    pane.attach(stalled);
    pane.attach(acking);
    pane.write('s'.repeat(FLOW_CONTROL.highWatermarkChars + 1));
    pane.flush();
    pane.ack(acking.id, FLOW_CONTROL.highWatermarkChars + 1);
    expect(source.calls).toEqual(['pause']);
    const detached = await stalled.waitFor(() => stalled.events.find((e) => e.event === 'terminal.detached')?.payload);
    expect(detached).toEqual({ paneId: 'asg-6', reason: 'stalled', unackedChars: FLOW_CONTROL.highWatermarkChars + 1 });
    expect(source.calls).toEqual(['pause', 'resume']);
    expect(logged).toEqual([expect.stringContaining(`viewer ${stalled.id}`)]);
    expect(acking.events.some((e) => e.event === 'terminal.detached')).toBe(false);
    // The detached viewer gets nothing more; the acking one still pauses the source when it falls behind.
    pane.write('t'.repeat(FLOW_CONTROL.highWatermarkChars + 1));
    pane.flush();
    expect(dataOf(stalled)).toHaveLength(1);
    expect(source.calls).toEqual(['pause', 'resume', 'pause']);
    await pane.finish();
  });

});
