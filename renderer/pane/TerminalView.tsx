import type { ISearchOptions, SearchAddon } from '@xterm/addon-search';
import type { ITerminalOptions } from '@xterm/xterm';
import { useEffect, useEffectEvent, useRef, useState, type FormEvent, type RefObject } from 'react';
import { ErrorNote } from '../app/ErrorNote';
import { useBridge } from '../bridge/context';
import { errorText } from '../bridge/errors';
import { loadedXterm, loadXterm, type XtermModules } from '../terminal/load-xterm';
import { webLink } from '../terminal/links';
import { PaneStream } from '../terminal/pane-stream';
import { PANE_BACKGROUND } from '../terminal/xterm-theme';
import { LinkConfirmDialog } from './LinkConfirmDialog';

/** Matches are highlighted in the buffer and marked in the scrollbar, in the board's amber and blue. */
const SEARCH_OPTIONS: ISearchOptions = {
  decorations: {
    matchBackground: '#5c4813',
    matchOverviewRuler: '#d29922',
    activeMatchBackground: '#1f4d7a',
    activeMatchColorOverviewRuler: '#58a6ff',
  },
};

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
  const searchRef = useRef<SearchAddon | null>(null);
  const [streamError, setStreamError] = useState<unknown>(null);
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<{ index: number; count: number } | null>(null);
  const [pendingLink, setPendingLink] = useState<string | null>(null);
  const [resynced, setResynced] = useState(false);
  const interactive = onInput !== undefined;
  const typed = useEffectEvent((data: string) => onInput?.(data));
  const resized = useEffectEvent((size: TerminalSize) => onResize?.(size));
  const leave = useEffectEvent(() => leaveTo?.current?.focus());
  const askToOpen = useEffectEvent((uri: string) => setPendingLink(webLink(uri)));
  const detached = useEffectEvent((resync: Promise<void>) => {
    resync.then(() => setResynced(true)).catch((error: unknown) => setStreamError(error));
  });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    // xterm is not part of the first screen's bundle: it loads with the first pane, or earlier when the
    // board is idle; once loaded, a pane opens its terminal at once, as it did when xterm was bundled.
    const ready = loadedXterm();
    if (ready) return mount(container, ready);
    let unmounted = false;
    let unmount: (() => void) | null = null;
    loadXterm()
      .then((xterm) => {
        if (!unmounted) unmount = mount(container, xterm);
      })
      .catch((error: unknown) => setStreamError(error));
    return () => {
      unmounted = true;
      unmount?.();
    };
  }, [bridge, paneId, options, interactive]);

  /** Opens xterm in the container and streams the pane into it; returns how to take both down. */
  function mount(container: HTMLDivElement, { Terminal, FitAddon, SearchAddon }: XtermModules): () => void {
    // Match decorations use xterm's decoration API, which it still calls proposed. An OSC 8 link
    // opens only through the confirm dialog, and only for http(s): xterm offers no other scheme.
    // Title changes (onTitleChange) are never listened to, and no clipboard (OSC 52) handler is loaded.
    const term = new Terminal({
      ...options,
      allowProposedApi: true,
      linkHandler: { activate: (_event, uri) => askToOpen(uri), allowNonHttpProtocols: false },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    const search = new SearchAddon();
    term.loadAddon(search);
    searchRef.current = search;
    const results = search.onDidChangeResults(({ resultIndex, resultCount }) => setMatches({ index: resultIndex, count: resultCount }));
    term.open(container);
    const typing = interactive ? term.onData((data) => typed(data)) : null;
    if (interactive) {
      term.attachCustomKeyEventHandler((event) => {
        if (event.key !== LEAVE_TERMINAL_KEY) return true;
        if (event.type === 'keydown') leave();
        return false;
      });
      // An opened shell takes the keyboard at once: keys typed next are the shell's, not the board's shortcuts.
      term.focus();
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

    const stream = new PaneStream(
      bridge,
      paneId,
      { write: (data, parsed) => term.write(data, parsed) },
      { onDetached: (resync) => detached(resync) },
    );
    streamRef.current = stream;
    stream.start().catch((error: unknown) => setStreamError(error));

    return () => {
      streamRef.current = null;
      searchRef.current = null;
      results.dispose();
      observer.disconnect();
      cancelAnimationFrame(frame);
      typing?.dispose();
      stream.dispose().catch((error: unknown) => console.error(`terminal.detach failed: ${errorText(error)}`));
      term.dispose();
    };
  }

  useEffect(() => {
    if (restartKey === null) return;
    streamRef.current?.resume().catch((error: unknown) => setStreamError(error));
  }, [restartKey]);

  const find = (direction: 'next' | 'previous') => {
    const search = searchRef.current;
    if (!search || !query) return;
    if (direction === 'next') search.findNext(query, SEARCH_OPTIONS);
    else search.findPrevious(query, SEARCH_OPTIONS);
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    find('next');
  };

  return (
    <div className="terminal-wrap" style={{ background: PANE_BACKGROUND }}>
      <form className="terminal-search" role="search" aria-label={`Search ${label}`} onSubmit={submit}>
        <input
          type="search"
          aria-label="Search text"
          placeholder="Search the scrollback"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setMatches(null);
          }}
        />
        <button type="submit" disabled={!query}>
          Next match
        </button>
        <button type="button" disabled={!query} onClick={() => find('previous')}>
          Previous match
        </button>
        <span role="status" className="muted">
          {matches === null ? '' : matches.count === 0 ? 'no matches' : `${matches.index + 1} of ${matches.count}`}
        </span>
      </form>
      {streamError !== null && <ErrorNote error={streamError} />}
      {resynced && (
        <p className="terminal-notice" role="status">
          This pane fell behind and was detached; the worker kept going. Resynced from its transcript.
        </p>
      )}
      <div
        ref={containerRef}
        className="terminal"
        role="region"
        aria-label={label}
        // Keys typed into a shell belong to the program in it, Escape included (see shortcuts.ts).
        data-captures-keys={interactive ? '' : undefined}
      />
      {pendingLink !== null && <LinkConfirmDialog url={pendingLink} onClose={() => setPendingLink(null)} />}
    </div>
  );
}
