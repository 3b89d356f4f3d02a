import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { ErrorNote } from '../app/ErrorNote';
import { useBridge } from '../bridge/context';
import { errorText } from '../bridge/errors';
import { PaneStream } from '../terminal/pane-stream';
import { PANE_BACKGROUND, paneTerminalOptions } from '../terminal/xterm-theme';

/**
 * The worker's live transcript. Bytes flow from the bridge through PaneStream into xterm;
 * React only owns the container element and an attach error, never the output.
 */
export function TerminalView({ assignmentId, title }: { assignmentId: string; title: string }) {
  const bridge = useBridge();
  const containerRef = useRef<HTMLDivElement>(null);
  const [attachError, setAttachError] = useState<unknown>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;

    const term = new Terminal(paneTerminalOptions);
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(container);

    // Resizes arrive in bursts while a layout settles; fit once per frame.
    let frame = 0;
    const refit = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fit.fit());
    };
    const observer = new ResizeObserver(refit);
    observer.observe(container);
    refit();

    const stream = new PaneStream(bridge, assignmentId, {
      write: (data, parsed) => term.write(data, parsed),
    });
    stream.start().catch((error: unknown) => setAttachError(error));

    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      stream.dispose().catch((error: unknown) => console.error(`terminal.detach failed: ${errorText(error)}`));
      term.dispose();
    };
  }, [bridge, assignmentId]);

  return (
    <div className="terminal-wrap" style={{ background: PANE_BACKGROUND }}>
      {attachError !== null && <ErrorNote error={attachError} />}
      <div ref={containerRef} className="terminal" role="region" aria-label={`Transcript of ${title}`} />
    </div>
  );
}
