import WebSocket from 'ws';
import type { CommandInput, CommandName, CommandOutput, ServerMessage } from '../../shared/contract';
import type { BoardHost } from './board-host';

/** A WebSocket client of the host, for setting up a test's world (accounts, settings) before the board is used. */
export async function connectToHost(host: BoardHost) {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ws?token=${encodeURIComponent(host.token)}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (message: Extract<ServerMessage, { t: 'result' }>) => void>();
  const listeners = new Set<(message: Extract<ServerMessage, { t: 'event' }>) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.t === 'result') pending.get(message.id)?.(message);
    else for (const listener of listeners) listener(message);
  });
  return {
    async invoke<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
      const id = nextId++;
      const reply = new Promise<Extract<ServerMessage, { t: 'result' }>>((resolve) => pending.set(id, resolve));
      ws.send(JSON.stringify({ t: 'invoke', id, command, input }));
      const { result } = await reply;
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as CommandOutput<K>;
    },
    /** Resolves with the first pushed event that passes `test`. */
    waitForEvent(test: (message: Extract<ServerMessage, { t: 'event' }>) => boolean): Promise<void> {
      return new Promise((resolve) => {
        const listener = (message: Extract<ServerMessage, { t: 'event' }>) => {
          if (!test(message)) return;
          listeners.delete(listener);
          resolve();
        };
        listeners.add(listener);
      });
    },
    close: () => ws.close(),
  };
}
