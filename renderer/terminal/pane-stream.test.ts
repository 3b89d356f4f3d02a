import { describe, expect, it, vi } from 'vitest';
import type { CommandName, EventPayload, FleetBridge } from '../../shared/contract';
import { FLOW_CONTROL } from '../../shared/constants';
import { BridgeError } from '../bridge/errors';
import { PANE_WRITE_SLICE_CHARS, PaneStream } from './pane-stream';

type Chunk = EventPayload<'terminal.data'>;
type Attach = { scrollback: string; end: number; finished?: boolean };

const ID = 'a1';
/** Long enough that scrollback plus live output crosses several ack batches. */
const transcript = 'abcdefghijklmnopqrstuvwxyz\n'.repeat(Math.ceil((3 * FLOW_CONTROL.ackBatchChars) / 27));

/** A bridge whose attach answers `attach()` and that records every invoke. */
function fakeBridge(attach: (push: (chunk: Chunk) => void) => Promise<Attach>) {
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  const calls: Array<{ command: CommandName; input: unknown }> = [];
  const emit = (event: string, payload: unknown) => {
    for (const handler of handlers.get(event) ?? []) handler(payload);
  };
  const push = (chunk: Chunk) => emit('terminal.data', chunk);
  const finish = (paneId: string, end: number) => emit('terminal.finished', { paneId, end });
  const detached = (paneId: string, unackedChars: number) => emit('terminal.detached', { paneId, reason: 'stalled', unackedChars });
  const bridge = {
    async invoke(command: CommandName, input: unknown) {
      calls.push({ command, input });
      if (command === 'terminal.attach') return { paneId: ID, finished: false, ...(await attach(push)) };
      return {};
    },
    subscribe(event: string, handler: (payload: unknown) => void) {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set);
      set.add(handler);
      return () => set.delete(handler);
    },
  } as unknown as FleetBridge;
  const commands = () => calls.map((call) => call.command);
  const subscriptions = () => [...handlers.values()].reduce((sum, set) => sum + set.size, 0);
  return { bridge, push, finish, detached, calls, commands, subscriptions };
}

/** A sink that parses only when told to, as xterm does later than it accepts a write. */
function deferredSink() {
  const sink = { text: '', pending: [] as Array<() => void>, writes: [] as number[] };
  return {
    sink,
    write(data: string, parsed: () => void) {
      sink.text += data;
      sink.writes.push(data.length);
      sink.pending.push(parsed);
    },
    parseAll() {
      for (const parsed of sink.pending.splice(0)) parsed();
    },
  };
}

const chunk = (start: number, end: number): Chunk => ({ paneId: ID, start, data: transcript.slice(start, end) });

describe('PaneStream', () => {
  it('replays scrollback, then live output, dropping what overlaps and skipping other panes', async () => {
    const end = 3_000;
    const fake = fakeBridge(async (push) => {
      // Pushed while the attach is answered: one already in the scrollback, one straddling its end.
      push(chunk(2_000, 2_500));
      push(chunk(2_900, 3_500));
      push({ paneId: 'other', start: 0, data: 'NOT MINE' });
      return { scrollback: transcript.slice(0, end), end };
    });
    const out = deferredSink();
    const stream = new PaneStream(fake.bridge, ID, out);
    await stream.start();
    fake.push(chunk(3_500, 8_000));
    fake.push(chunk(6_000, 9_000));
    fake.push(chunk(9_000, transcript.length));

    expect(out.sink.text).toBe(transcript);
    await stream.dispose();
  });

  it('acknowledges only after the sink has parsed, in batches', async () => {
    const fake = fakeBridge(async () => ({ scrollback: transcript.slice(0, 1_000), end: 1_000 }));
    const out = deferredSink();
    const stream = new PaneStream(fake.bridge, ID, out);
    await stream.start();
    fake.push(chunk(1_000, transcript.length));
    expect(fake.commands()).not.toContain('terminal.ack');

    out.parseAll();
    const acked = fake.calls.filter((call) => call.command === 'terminal.ack').map((call) => call.input as { chars: number });
    expect(acked.length).toBeGreaterThan(0);
    for (const { chars } of acked) expect(chars).toBeGreaterThanOrEqual(FLOW_CONTROL.ackBatchChars);
    const total = acked.reduce((sum, { chars }) => sum + chars, 0);
    expect(transcript.length - total).toBeLessThan(FLOW_CONTROL.ackBatchChars);
    await stream.dispose();
  });

  it('hands a large replay and a large live chunk to the sink in slices, in order, acknowledged as they are parsed', async () => {
    const big = 'the quick brown fox jumps over the lazy dog\n'.repeat(Math.ceil((5 * PANE_WRITE_SLICE_CHARS) / 44));
    const replayEnd = 3 * PANE_WRITE_SLICE_CHARS + 7;
    const fake = fakeBridge(async () => ({ scrollback: big.slice(0, replayEnd), end: replayEnd }));
    const out = deferredSink();
    const stream = new PaneStream(fake.bridge, ID, out);
    await stream.start();
    fake.push({ paneId: ID, start: replayEnd, data: big.slice(replayEnd) });

    expect(out.sink.text).toBe(big);
    expect(Math.max(...out.sink.writes)).toBeLessThanOrEqual(PANE_WRITE_SLICE_CHARS);
    expect(out.sink.writes.length).toBeGreaterThan(big.length / PANE_WRITE_SLICE_CHARS);
    expect(fake.commands()).not.toContain('terminal.ack');
    out.parseAll();
    const acked = fake.calls.filter((call) => call.command === 'terminal.ack').reduce((sum, call) => sum + (call.input as { chars: number }).chars, 0);
    expect(big.length - acked).toBeLessThan(FLOW_CONTROL.ackBatchChars);
    await stream.dispose();
  });

  it('writes a chunk after a gap but reports the gap once', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const fake = fakeBridge(async () => ({ scrollback: 'abc', end: 3 }));
    const out = deferredSink();
    const stream = new PaneStream(fake.bridge, ID, out);
    await stream.start();
    fake.push({ paneId: ID, start: 10, data: 'X' });
    fake.push({ paneId: ID, start: 20, data: 'Y' });

    expect(out.sink.text).toBe('abcXY');
    expect(error).toHaveBeenCalledTimes(1);
    error.mockRestore();
    await stream.dispose();
  });

  it('unsubscribes and detaches on dispose', async () => {
    const fake = fakeBridge(async () => ({ scrollback: '', end: 0 }));
    const stream = new PaneStream(fake.bridge, ID, deferredSink());
    await stream.start();
    await stream.dispose();

    expect(fake.subscriptions()).toBe(0);
    expect(fake.commands()).toEqual(['terminal.attach', 'terminal.detach']);
  });

  it('attaches a reopened pane only after the previous detach, and a disposed pane writes nothing', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let attaches = 0;
    const fake = fakeBridge(async () => {
      attaches += 1;
      if (attaches === 1) await gate;
      return { scrollback: 'S', end: 1 };
    });
    const first = deferredSink();
    const second = deferredSink();
    const closing = new PaneStream(fake.bridge, ID, first);
    const starting = closing.start();
    const disposing = closing.dispose();
    const reopened = new PaneStream(fake.bridge, ID, second);
    const reopening = reopened.start();

    release();
    await Promise.all([starting, disposing, reopening]);
    expect(fake.commands()).toEqual(['terminal.attach', 'terminal.detach', 'terminal.attach']);
    expect(first.sink.text).toBe('');
    expect(second.sink.text).toBe('S');
    await reopened.dispose();
  });

  it('rejects with the typed error when the attach fails, and leaves no subscription behind', async () => {
    const fake = fakeBridge(async () => {
      throw new BridgeError({ code: 'assignment_not_found', message: 'no such assignment' });
    });
    const stream = new PaneStream(fake.bridge, ID, deferredSink());

    await expect(stream.start()).rejects.toMatchObject({ code: 'assignment_not_found' });
    expect(fake.subscriptions()).toBe(0);
    await stream.dispose();
    expect(fake.commands()).toEqual(['terminal.attach']);
  });

  it('knows when its pane finished, from the attach or from terminal.finished for that pane only', async () => {
    const fake = fakeBridge(async () => ({ scrollback: 'abc', end: 3 }));
    const stream = new PaneStream(fake.bridge, ID, deferredSink());
    await stream.start();
    fake.finish('other', 9);
    expect(stream.isFinished).toBe(false);
    fake.finish(ID, 3);
    expect(stream.isFinished).toBe(true);
    await stream.dispose();

    const done = fakeBridge(async () => ({ scrollback: 'abc', end: 3, finished: true }));
    const replayed = new PaneStream(done.bridge, ID, deferredSink());
    await replayed.start();
    expect(replayed.isFinished).toBe(true);
    await replayed.dispose();
  });

  it('resumes a finished pane that started again, writing only what the sink has not had', async () => {
    const answers: Array<(push: (chunk: Chunk) => void) => Attach> = [
      () => ({ scrollback: 'first run\n', end: 10 }),
      (push) => {
        // The follow-up's first output, pushed while the second attach is answered.
        push({ paneId: ID, start: 20, data: 'more\n' });
        return { scrollback: 'first run\nfollow-up\n', end: 20 };
      },
    ];
    const fake = fakeBridge(async (push) => answers.shift()!(push));
    const out = deferredSink();
    const stream = new PaneStream(fake.bridge, ID, out);
    await stream.start();
    fake.finish(ID, 10);
    await stream.resume();
    fake.push({ paneId: ID, start: 25, data: 'live\n' });

    expect(out.sink.text).toBe('first run\nfollow-up\nmore\nlive\n');
    expect(stream.isFinished).toBe(false);
    await stream.dispose();
    expect(fake.commands()).toEqual(['terminal.attach', 'terminal.attach', 'terminal.detach']);
  });

  it('does not attach again while the pane is still running', async () => {
    const fake = fakeBridge(async () => ({ scrollback: 'abc', end: 3 }));
    const stream = new PaneStream(fake.bridge, ID, deferredSink());
    await stream.start();
    await stream.resume();
    expect(fake.commands()).toEqual(['terminal.attach']);
    await stream.dispose();
  });

  it('writes nothing twice when a resumed pane has no new output', async () => {
    const fake = fakeBridge(async () => ({ scrollback: 'done\n', end: 5, finished: true }));
    const out = deferredSink();
    const stream = new PaneStream(fake.bridge, ID, out);
    await stream.start();
    await stream.resume();
    expect(out.sink.text).toBe('done\n');
    expect(stream.isFinished).toBe(true);
    await stream.dispose();
  });

  it('writes a resumed pane whose stream the core numbered afresh from its start', async () => {
    const answers: Attach[] = [
      { scrollback: 'old run\n', end: 8, finished: true },
      { scrollback: 'new\n', end: 4 },
    ];
    const fake = fakeBridge(async () => answers.shift()!);
    const out = deferredSink();
    const stream = new PaneStream(fake.bridge, ID, out);
    await stream.start();
    await stream.resume();
    fake.push({ paneId: ID, start: 4, data: 'live\n' });
    expect(out.sink.text).toBe('old run\nnew\nlive\n');
    await stream.dispose();
  });

  it('on terminal.detached, tells the pane and resyncs from the core: nothing is lost or written twice', async () => {
    let attaches = 0;
    // First attach: 3,000 characters so far. Second (after the detach): the core went on to 8,000 meanwhile.
    const fake = fakeBridge(async () => {
      attaches += 1;
      return attaches === 1 ? { scrollback: transcript.slice(0, 3_000), end: 3_000 } : { scrollback: transcript.slice(0, 8_000), end: 8_000 };
    });
    const out = deferredSink();
    const notices: Array<Promise<void>> = [];
    const stream = new PaneStream(fake.bridge, ID, out, { onDetached: (resynced) => notices.push(resynced) });
    await stream.start();
    fake.push(chunk(3_000, 5_000));
    // Another pane's detach is not ours.
    fake.detached('other', 200_000);
    expect(notices).toHaveLength(0);
    fake.detached(ID, 200_000);
    expect(notices).toHaveLength(1);
    // A chunk sent before the core dropped us arrives late: it is already covered by the replay.
    fake.push(chunk(4_000, 6_000));
    await notices[0];
    fake.push(chunk(8_000, transcript.length));
    out.parseAll();

    expect(out.sink.text).toBe(transcript);
    expect(fake.commands().filter((c) => c === 'terminal.attach')).toHaveLength(2);
    await stream.dispose();
  });
});
