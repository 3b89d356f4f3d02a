import type { EventPayload, FleetBridge } from '../../shared/contract';
import { FLOW_CONTROL } from '../../shared/constants';
import { errorText } from '../bridge/errors';

/** Where a pane's characters go; `parsed` must be called once the sink has consumed `data` (xterm's write callback). */
export interface PaneSink {
  write(data: string, parsed: () => void): void;
}

type Chunk = EventPayload<'terminal.data'>;

/**
 * Detaches still in flight, per bridge and assignment. A pane reopened before its previous detach
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
 * One pane's output: replays the core's scrollback, then continues with live `terminal.data`
 * without gaps or overlaps (chunks carry their offset in the whole stream), and acknowledges
 * characters only after the sink has parsed them, so the core can pause a worker that outruns the pane.
 */
export class PaneStream {
  private readonly bridge: FleetBridge;
  private readonly assignmentId: string;
  private readonly sink: PaneSink;
  /** Chunks that arrived before the attach answer told us where the replay ends. */
  private buffered: Chunk[] | null = [];
  /** Offset of the next character the sink expects. */
  private end = 0;
  private unacked = 0;
  private gapReported = false;
  private disposed = false;
  private unsubscribe: (() => void) | null = null;
  private attaching: Promise<unknown> | null = null;

  constructor(bridge: FleetBridge, assignmentId: string, sink: PaneSink) {
    this.bridge = bridge;
    this.assignmentId = assignmentId;
    this.sink = sink;
  }

  async start(): Promise<void> {
    const previousDetach = detachesOf(this.bridge).get(this.assignmentId);
    if (previousDetach) await previousDetach.catch(() => undefined);
    if (this.disposed) return;

    // Subscribe before attaching: anything pushed while the attach is answered is buffered, not lost.
    const unsubscribe = this.bridge.subscribe('terminal.data', (chunk) => this.receive(chunk));
    this.unsubscribe = unsubscribe;
    const attaching = this.bridge.invoke('terminal.attach', { assignmentId: this.assignmentId });
    this.attaching = attaching;
    let attached;
    try {
      attached = await attaching;
    } catch (error) {
      unsubscribe();
      this.unsubscribe = null;
      this.buffered = null;
      throw error;
    }
    if (this.disposed) return;

    this.end = attached.end;
    if (attached.scrollback.length > 0) this.emit(attached.scrollback);
    const early = this.buffered ?? [];
    this.buffered = null;
    for (const chunk of early) this.accept(chunk);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.buffered = null;

    const detaches = detachesOf(this.bridge);
    const detach = this.detach();
    detaches.set(this.assignmentId, detach);
    try {
      await detach;
    } finally {
      if (detaches.get(this.assignmentId) === detach) detaches.delete(this.assignmentId);
    }
  }

  private async detach(): Promise<void> {
    const attaching = this.attaching;
    if (!attaching) return;
    try {
      await attaching;
    } catch {
      return;
    }
    await this.bridge.invoke('terminal.detach', { assignmentId: this.assignmentId });
  }

  private receive(chunk: Chunk): void {
    if (chunk.assignmentId !== this.assignmentId || this.disposed) return;
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
        `terminal.data for ${this.assignmentId} skipped characters ${this.end}..${start}; the core must never leave a gap`,
      );
    }
    this.end = chunkEnd;
    this.emit(fresh);
  }

  private emit(data: string): void {
    this.sink.write(data, () => this.parsed(data.length));
  }

  private parsed(chars: number): void {
    if (this.disposed) return;
    this.unacked += chars;
    if (this.unacked < FLOW_CONTROL.ackBatchChars) return;
    const batch = this.unacked;
    this.unacked = 0;
    this.bridge.invoke('terminal.ack', { assignmentId: this.assignmentId, chars: batch }).catch((error: unknown) => {
      console.error(`terminal.ack for ${this.assignmentId} failed: ${errorText(error)}`);
    });
  }
}
