import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { z } from 'zod';
import {
  commands,
  events,
  invokeResultSchema,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type EventName,
  type EventPayload,
} from '../shared/contract';
import { hostFilePath } from '../electron/host/host-file';
import { CliFailure } from './failure';

const hostFileSchema = z.object({ url: z.string().startsWith('ws://'), token: z.string().min(1), pid: z.number().int().optional() });

/** How to get a host, in the words every verb uses when there is none. */
export function startHint(dataDir: string): string {
  return `Start one with \`khala serve --data-dir "${dataDir}"\` (headless) or \`npm run web\` / the desktop app, then try again.`;
}

function noHost(dataDir: string, why: string): CliFailure {
  return new CliFailure('host_unavailable', `No Khala host is running on ${dataDir} (${why}). ${startHint(dataDir)}`);
}

type Listener = (payload: unknown) => void;

/** One connection to the running host: typed invokes (outputs parsed with the contract) and its events. */
export class HostClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; command: CommandName }>();
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private closedBy: CliFailure | null = null;

  private constructor(
    private readonly ws: WebSocket,
    readonly dataDir: string,
  ) {
    ws.on('message', (data) => this.receive(data.toString()));
    ws.on('close', () => {
      this.closedBy ??= new CliFailure('host_unavailable', `The host on ${dataDir} closed the connection.`);
      for (const pending of this.waiting.values()) pending.reject(this.closedBy);
      this.waiting.clear();
    });
    ws.on('error', () => undefined);
  }

  /** Reads host.json and connects; with no host (no file, a stale file, a refused token) the failure says how to start one. */
  static async connect(dataDir: string): Promise<HostClient> {
    let info: z.infer<typeof hostFileSchema>;
    try {
      info = hostFileSchema.parse(JSON.parse(readFileSync(hostFilePath(dataDir), 'utf8')));
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw noHost(dataDir, missing ? 'no host.json' : 'host.json is unreadable');
    }
    const ws = new WebSocket(`${info.url}?token=${encodeURIComponent(info.token)}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_request, response) => {
        reject(noHost(dataDir, `host.json names a host that answered HTTP ${response.statusCode}; it is stale`));
      });
      ws.once('error', (error: NodeJS.ErrnoException) => {
        reject(noHost(dataDir, error.code === 'ECONNREFUSED' ? 'host.json is left from a host that stopped' : error.message));
      });
    });
    return new HostClient(ws, dataDir);
  }

  invoke<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject, command });
      this.ws.send(JSON.stringify({ t: 'invoke', id, command, input }));
    });
  }

  /** Typed events; the payload is parsed with the contract, so a handler sees only well-formed values. */
  on<K extends EventName>(event: K, handler: (payload: EventPayload<K>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    this.listeners.set(event, set);
    const listener: Listener = (payload) => handler(payload as EventPayload<K>);
    set.add(listener);
    return () => set.delete(listener);
  }

  close(): void {
    this.closedBy ??= new CliFailure('host_unavailable', 'The connection was closed.');
    this.ws.close();
  }

  private receive(text: string): void {
    let message: { t?: unknown; id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.t === 'result' && typeof message.id === 'number') {
      const pending = this.waiting.get(message.id);
      if (!pending) return;
      this.waiting.delete(message.id);
      const result = invokeResultSchema.safeParse(message.result);
      if (!result.success) return pending.reject(new CliFailure('internal', `The host sent a malformed answer to ${pending.command}.`));
      if (!result.data.ok) return pending.reject(CliFailure.fromFleetError(result.data.error));
      const output = commands[pending.command].output.safeParse(result.data.value);
      if (!output.success) return pending.reject(new CliFailure('internal', `The host's answer to ${pending.command} does not match the contract.`));
      pending.resolve(output.data);
      return;
    }
    if (message.t === 'event' && typeof message.event === 'string' && message.event in events) {
      const event = message.event as EventName;
      const payload = events[event].safeParse(message.payload);
      if (!payload.success) return;
      for (const listener of this.listeners.get(event) ?? []) listener(payload.data);
    }
  }
}
