// The benchmark's page: the renderer's own WebSocket transport and PaneStream feeding a real xterm.
import '@xterm/xterm/css/xterm.css';
import { Terminal } from '@xterm/xterm';
import { createSocketConnection, socketUrl } from '../../renderer/bridge/socket';
import { PaneStream } from '../../renderer/terminal/pane-stream';
import { paneTerminalOptions } from '../../renderer/terminal/xterm-theme';
import { FNV_OFFSET, fnv1a } from '../fnv';

export interface OutputBenchResult {
  /** From tasks.create to xterm's last write callback. */
  ms: number;
  /** From the first character handed to xterm to its last write callback: the path's throughput. */
  streamMs: number;
  chars: number;
  hash: number;
  cardState: string;
}

export interface XtermAloneResult {
  ms: number;
  chars: number;
  hash: number;
}

declare global {
  interface Window {
    runOutputBench(repoPath: string, floodBytes: number): Promise<OutputBenchResult>;
    runXtermAlone(): Promise<XtermAloneResult>;
  }
}

/** What the board path handed xterm, kept so xterm alone can be fed the very same characters. */
const received: string[] = [];

/** A pty-sized read: what a terminal app typically hands xterm per write. */
const ALONE_CHUNK_CHARS = 65_536;
/**
 * Characters queued in xterm at once when it is fed alone: enough that it never waits for input,
 * far below xterm's own discard limit (50 MB) for unparsed writes.
 */
const ALONE_WINDOW_CHARS = 2_000_000;

function freshTerminal(): Terminal {
  const host = document.getElementById('pane')!;
  host.replaceChildren();
  const term = new Terminal(paneTerminalOptions);
  term.open(host);
  return term;
}

/** xterm alone, same options and size, same Chromium: the same characters written as fast as it parses them. */
window.runXtermAlone = async () => {
  const text = received.join('');
  const term = freshTerminal();
  let hash = FNV_OFFSET;
  let next = 0;
  let queued = 0;
  let parsed = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const feed = () => {
      while (next < text.length && queued < ALONE_WINDOW_CHARS) {
        const chunk = text.slice(next, next + ALONE_CHUNK_CHARS);
        next += chunk.length;
        queued += chunk.length;
        hash = fnv1a(chunk, hash);
        term.write(chunk, () => {
          queued -= chunk.length;
          parsed += chunk.length;
          if (parsed === text.length) resolve();
          else feed();
        });
      }
    };
    if (text.length === 0) resolve();
    else feed();
  });
  const ms = performance.now() - started;
  term.dispose();
  return { ms, chars: text.length, hash };
};

window.runOutputBench = async (repoPath, floodBytes) => {
  const { bridge } = createSocketConnection(socketUrl(window.location));
  const term = freshTerminal();
  received.length = 0;
  let firstAt = -1;

  let hash = FNV_OFFSET;
  let written = 0;
  let parsed = 0;
  let finishedAt = -1;
  let assignmentId = '';
  let settle: () => void = () => undefined;
  const allParsed = new Promise<void>((resolve) => (settle = resolve));
  const check = () => {
    if (finishedAt >= 0 && parsed === finishedAt) settle();
  };
  bridge.subscribe('terminal.finished', (payload) => {
    // A transcript pane's id is its assignment's.
    if (payload.paneId !== assignmentId) return;
    finishedAt = payload.end;
    check();
  });

  const started = performance.now();
  const card = await bridge.invoke('tasks.create', {
    title: 'Output path benchmark',
    repoPath,
    prompt: 'flood the pane',
    verifyCommand: 'true',
    workerKind: 'fixture',
    fixture: { durationMs: 0, floodBytes },
  });
  assignmentId = card.assignmentId;
  const stream = new PaneStream(bridge, assignmentId, {
    write(data, ack) {
      if (firstAt < 0) firstAt = performance.now();
      received.push(data);
      hash = fnv1a(data, hash);
      written += data.length;
      term.write(data, () => {
        parsed += data.length;
        ack();
        check();
      });
    },
  });
  await stream.start();
  await allParsed;
  const done = performance.now();
  await stream.dispose();
  term.dispose();
  const final = (await bridge.invoke('cards.list', {})).find((c) => c.assignmentId === assignmentId);
  return { ms: done - started, streamMs: done - firstAt, chars: written, hash, cardState: final?.state ?? 'missing' };
};
