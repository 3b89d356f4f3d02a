import WebSocket from 'ws';
import type { InvokeResult } from '../../shared/contract';

export interface InvokeClient {
  ws: WebSocket;
  invoke(command: string, input: unknown): Promise<InvokeResult>;
}

/** A plain `ws` client of the host that matches each answer to its invoke by id. */
export async function openInvokeClient(url: string): Promise<InvokeClient> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, (result: InvokeResult) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { t: string; id: number; result: InvokeResult };
    if (message.t !== 'result') return;
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  let nextId = 1;
  return {
    ws,
    invoke(command, input) {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ t: 'invoke', id, command, input }));
      });
    },
  };
}
