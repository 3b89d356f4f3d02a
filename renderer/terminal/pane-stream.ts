import type { EventPayload, FleetBridge } from '../../shared/contract';
import { FLOW_CONTROL } from '../../shared/constants';
import { errorText } from '../bridge/errors';

/** Where a pane's characters go; `parsed` must be called once the sink has consumed `data` (xterm's write callback). */
export interface PaneSink {
  write(data: string, parsed: () => void): void;
}

type Chunk = EventPayload<'terminal.data'>;

/**
 * The most handed to the sink in one write. xterm parses a write in one go and yields to rendering
 * only between writes, so a 2 M-character replay or a window-sized batch written whole would freeze
 * the board for as long as it parses; 16 Ki characters parse in a few milliseconds.
 */
export const PANE_WRITE_SLICE_CHARS = 16_384;

export interface PaneStreamOptions {
  /**
   * The core detached this pane's subscription because it fell behind; `resynced` settles once the
   * stream has attached again and replayed what it missed from the core.
   */
  onDetached?: (resynced: Promise<void>) => void;
}

/**
 * Detaches still in flight, per bridge and pane. A pane reopened before its previous detach
 * was answered must attach after it, or the late detach would unsubscribe the new pane.
 */
const detaching = new WeakMap<FleetBridge, Map<string, Promise<void>>>();

function detachesOf(bridge: FleetBridge): Map<string, Promise<void>> {
  let map = detaching.get(bridge);
  if (!map) {
    map = new Map();
    detaching.set(bridge, map);
  }
  return map;
}

/**
 * One pane's output (an assignment's transcript or a shell): replays the core's scrollback, then
 * continues with live `terminal.data` without gaps or overlaps (chunks carry their offset in the
 * whole stream), and acknowledges characters only after the sink has parsed them, so the core can
 * pause a source that outruns the pane. A pane that finished can start again (a follow-up resumes
 * the worker in the same pane): `resume()` attaches once more and writes only what the sink has not had.
 */
export class PaneStream {
  private readonly bridge: FleetBridge;
  private readonly paneId: string;
  private readonly sink: PaneSink;
  private readonly options: PaneStreamOptions;
  /** Chunks that arrived while an attach was being answered; null when no attach is in flight. */
  private buffered: Chunk[] | null = null;
  /** Offset of the next character the sink expects. */
  private end = 0;
  /** Whether the core has answered an attach: this connection is subscribed there until it detaches. */
  private attached = false;
  private unacked = 0;
  private gapReported = false;
  private finished = false;
  private disposed = false;
  private unsubscribers: Array<() => void> = [];
  private attaching: Promise<unknown> | null = null;

  constructor(bridge: FleetBridge, paneId: string, sink: PaneSink, options: PaneStreamOptions = {}) {
    this.bridge = bridge;
    this.paneId = paneId;
    this.sink = sink;
    this.options = options;
  }

  /** Whether the pane's source has ended (until a resumed attach finds it running again). */
  get isFinished(): boolean {
    return this.finished;
  }

  async start(): Promise<void> {
    const previousDetach = detachesOf(this.bridge).get(this.paneId);
    if (previousDetach) await previousDetach.catch(() => undefined);
    if (this.disposed) return;

    // Subscribe before attaching: anything pushed while the attach is answered is buffered, not lost.
    this.unsubscribers = [
      this.bridge.subscribe('terminal.data', (chunk) => this.receive(chunk)),
      this.bridge.subscribe('terminal.finished', ({ paneId }) => {
        if (paneId === this.paneId) this.finished = true;
      }),
      this.bridge.subscribe('terminal.detached', ({ paneId }) => {
        if (paneId === this.paneId) this.resync();
      }),
      // A new connection has no subscription to this pane: attach again, and the replay fills the gap.
      this.bridge.subscribe('host.reconnected', () => this.resync()),
    ];
    try {
      await this.attach();
    } catch (error) {
      this.unsubscribe();
      throw error;
    }
  }

  /**
   * Attaches again to a pane that had finished, for when its source may have started again.
   * Harmless when the pane never stopped or an attach is already in flight.
   */
  async resume(): Promise<void> {
    if (this.disposed || !this.finished || this.buffered || this.unsubscribers.length === 0) return;
    await this.attach();
  }

  /**
   * The core stopped sending this pane (it fell behind and stopped acknowledging): attach again. The
   * replay comes from the core, and offsets drop what the sink already has, so nothing is lost or doubled.
   */
  private resync(): void {
    if (this.disposed) return;
    // Parsed characters not yet acknowledged belong to the old subscription, which the core has dropped.
    this.unacked = 0;
    const resynced = this.buffered ? Promise.resolve() : this.attach();
    this.options.onDetached?.(resynced);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.unsubscribe();

    const detaches = detachesOf(this.bridge);
    const detach = this.detach();
    detaches.set(this.paneId, detach);
    try {
      await detach;
    } finally {
      if (detaches.get(this.paneId) === detach) detaches.delete(this.paneId);
    }
  }

  private async attach(): Promise<void> {
    this.buffered = [];
    const attaching = this.bridge.invoke('terminal.attach', { paneId: this.paneId });
    this.attaching = attaching;
    let answer;
    try {
      answer = await attaching;
    } catch (error) {
      this.buffered = null;
      throw error;
    }
    const first = !this.attached;
    this.attached = true;
    if (this.disposed) return;

    const { scrollback, end, finished } = answer;
    const replayStart = end - scrollback.length;
    // The first replay may begin past offset 0 (the core keeps only the tail), which is no gap;
    // a replay that ends before what the sink has is a stream the core numbered afresh.
    if (first || end < this.end) this.end = replayStart;
    this.finished = finished;
    this.accept({ paneId: this.paneId, start: replayStart, data: scrollback });
    const early = this.buffered ?? [];
    this.buffered = null;
    for (const chunk of early) this.accept(chunk);
  }

  private unsubscribe(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    this.buffered = null;
  }

  private async detach(): Promise<void> {
    await this.attaching?.catch(() => undefined);
    if (!this.attached) return;
    await this.bridge.invoke('terminal.detach', { paneId: this.paneId });
  }

  private receive(chunk: Chunk): void {
    if (chunk.paneId !== this.paneId || this.disposed) return;
    if (this.buffered) this.buffered.push(chunk);
    else this.accept(chunk);
  }

  private accept({ start, data }: Chunk): void {
    const chunkEnd = start + data.length;
    if (chunkEnd <= this.end) return;
    let fresh = data;
    if (start < this.end) {
      fresh = data.slice(this.end - start);
    } else if (start > this.end && !this.gapReported) {
      this.gapReported = true;
      console.error(
        `terminal.data for ${this.paneId} skipped characters ${this.end}..${start}; the core must never leave a gap`,
      );
    }
    this.end = chunkEnd;
    this.emit(fresh);
  }

  private emit(data: string): void {
    for (let at = 0; at < data.length; at += PANE_WRITE_SLICE_CHARS) {
      const slice = data.slice(at, at + PANE_WRITE_SLICE_CHARS);
      this.sink.write(slice, () => this.parsed(slice.length));
    }
  }

  private parsed(chars: number): void {
    if (this.disposed) return;
    this.unacked += chars;
    if (this.unacked < FLOW_CONTROL.ackBatchChars) return;
    const batch = this.unacked;
    this.unacked = 0;
    this.bridge.invoke('terminal.ack', { paneId: this.paneId, chars: batch }).catch((error: unknown) => {
      console.error(`terminal.ack for ${this.paneId} failed: ${errorText(error)}`);
    });
  }
}
