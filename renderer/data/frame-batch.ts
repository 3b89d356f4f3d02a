/**
 * Pushed updates gathered until the next animation frame and applied in one go: 200 workers each
 * pushing a card several times a second would otherwise re-render the board once per event.
 */
export interface FrameBatch<T> {
  add(item: T): void;
  /** Applies what has gathered now (a reconnect, an unmount). */
  flush(): void;
  /** Drops what has gathered and cancels the pending frame. */
  cancel(): void;
}

/** Asks for one call at the next frame; returns how to cancel it. */
export type FrameScheduler = (run: () => void) => () => void;

/**
 * A hidden window gets no animation frames (Electron minimised, a background tab), so a timer
 * applies the batch at the latest after this long; a visible board gets its frame well before.
 */
const LATEST_APPLY_MS = 100;

export const nextAnimationFrame: FrameScheduler = (run) => {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    run();
  };
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, LATEST_APPLY_MS);
  return () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};

export function createFrameBatch<T>(apply: (items: T[]) => void, schedule: FrameScheduler = nextAnimationFrame): FrameBatch<T> {
  let items: T[] = [];
  let cancelFrame: (() => void) | null = null;
  const flush = () => {
    cancelFrame?.();
    cancelFrame = null;
    if (items.length === 0) return;
    const batch = items;
    items = [];
    apply(batch);
  };
  return {
    add(item) {
      items.push(item);
      cancelFrame ??= schedule(flush);
    },
    flush,
    cancel() {
      cancelFrame?.();
      cancelFrame = null;
      items = [];
    },
  };
}
