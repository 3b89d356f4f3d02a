// The benchmark's page: the renderer's own WebSocket transport and PaneStream feeding a real xterm.
import '@xterm/xterm/css/xterm.css';
import { Terminal } from '@xterm/xterm';
import { createSocketConnection, socketUrl } from '../../renderer/bridge/socket';
import { PaneStream } from '../../renderer/terminal/pane-stream';
import { paneTerminalOptions } from '../../renderer/terminal/xterm-theme';
import { FNV_OFFSET, fnv1a } from '../fnv';

export interface OutputBenchResult {
  ms: number;
  chars: number;
  hash: number;
  cardState: string;
}

declare global {
  interface Window {
    runOutputBench(repoPath: string, floodBytes: number): Promise<OutputBenchResult>;
  }
}

window.runOutputBench = async (repoPath, floodBytes) => {
  const { bridge } = createSocketConnection(socketUrl(window.location));
  const term = new Terminal(paneTerminalOptions);
  term.open(document.getElementById('pane')!);

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
  const ms = performance.now() - started;
  await stream.dispose();
  const final = (await bridge.invoke('cards.list', {})).find((c) => c.assignmentId === assignmentId);
  return { ms, chars: written, hash, cardState: final?.state ?? 'missing' };
};
