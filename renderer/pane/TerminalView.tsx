import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITerminalOptions } from '@xterm/xterm';
import { useEffect, useEffectEvent, useRef, useState, type RefObject } from 'react';
import { ErrorNote } from '../app/ErrorNote';
import { useBridge } from '../bridge/context';
import { errorText } from '../bridge/errors';
import { PaneStream } from '../terminal/pane-stream';
import { PANE_BACKGROUND } from '../terminal/xterm-theme';

/** xterm keeps Tab for the program in an interactive pane, so this key moves focus out instead. */
export const LEAVE_TERMINAL_KEY = 'F6';

export interface TerminalSize {
  cols: number;
  rows: number;
}

interface TerminalViewProps {
  paneId: string;
  /** The terminal region's accessible name. */
  label: string;
  options: ITerminalOptions;
  /**
   * Non-null while the pane's source may be running; each new value re-attaches a stream that had
   * finished, so a worker resumed in the same pane (a follow-up) streams into it again.
   */
  restartKey?: string | null;
  /** Keystrokes, for an interactive pane; a pane without it is read-only. */
  onInput?: (data: string) => void;
  /** Where LEAVE_TERMINAL_KEY moves the focus from an interactive pane. */
  leaveTo?: RefObject<HTMLElement | null>;
  /** The size after each fit that changed it (the first fit always reports). */
  onResize?: (size: TerminalSize) => void;
}

/**
 * One pane's live output. Bytes flow from the bridge through PaneStream into xterm; React only
 * owns the container element and a stream error, never the output. xterm keeps following new
 * output while scrolled to the bottom and stays put once the owner scrolls up: nothing here scrolls it.
 */
export function TerminalView({
  paneId,
  label,
  options,
  restartKey = null,
  onInput,
  leaveTo,
  onResize,
}: TerminalViewProps) {
  const bridge = useBridge();
  const containerRef = useRef<HTMLDivElement>(null);
  const streamRef = useRef<PaneStream | null>(null);
  const [streamError, setStreamError] = useState<unknown>(null);
  const interactive = onInput !== undefined;
  const typed = useEffectEvent((data: string) => onInput?.(data));
  const resized = useEffectEvent((size: TerminalSize) => onResize?.(size));
  const leave = useEffectEvent(() => leaveTo?.current?.focus());

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;

    const term = new Terminal(options);
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(container);
    const typing = interactive ? term.onData((data) => typed(data)) : null;
    if (interactive) {
      term.attachCustomKeyEventHandler((event) => {
        if (event.key !== LEAVE_TERMINAL_KEY) return true;
        if (event.type === 'keydown') leave();
        return false;
      });
    }

    // Resizes arrive in bursts while a layout settles; fit once per frame. A hidden pane does not fit.
    let frame = 0;
    let reported: TerminalSize | null = null;
    const refit = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        fit.fit();
        if (reported?.cols === term.cols && reported.rows === term.rows) return;
        reported = { cols: term.cols, rows: term.rows };
        resized(reported);
      });
    };
    const observer = new ResizeObserver(refit);
    observer.observe(container);
    refit();

    const stream = new PaneStream(bridge, paneId, {
      write: (data, parsed) => term.write(data, parsed),
    });
    streamRef.current = stream;
    stream.start().catch((error: unknown) => setStreamError(error));

    return () => {
      streamRef.current = null;
      observer.disconnect();
      cancelAnimationFrame(frame);
      typing?.dispose();
      stream.dispose().catch((error: unknown) => console.error(`terminal.detach failed: ${errorText(error)}`));
      term.dispose();
    };
  }, [bridge, paneId, options, interactive]);

  useEffect(() => {
    if (restartKey === null) return;
    streamRef.current?.resume().catch((error: unknown) => setStreamError(error));
  }, [restartKey]);

  return (
    <div className="terminal-wrap" style={{ background: PANE_BACKGROUND }}>
      {streamError !== null && <ErrorNote error={streamError} />}
      <div
        ref={containerRef}
        className="terminal"
        role="region"
        aria-label={label}
        // Keys typed into a shell belong to the program in it, Escape included (see shortcuts.ts).
        data-captures-keys={interactive ? '' : undefined}
      />
    </div>
  );
}
