import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { CommandName, CommandOutput, CommandInput, EventName, EventPayload } from '../../shared/contract';
import type { Card } from '../../shared/domain';
import type { Result } from '../../shared/errors';
import { createCore, type Core, type CoreOptions } from '../core';
import type { Connection } from '../core/connection';
import { tempDir } from './temp-repo';

export interface RecordedEvent {
  event: EventName;
  payload: unknown;
}

/** A connection that records what the core pushes, as a face would receive it. */
export class RecordingConnection implements Connection {
  readonly id = randomUUID();
  readonly transport = 'websocket' as const;
  readonly events: RecordedEvent[] = [];
  private readonly waiters = new Set<() => void>();

  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    this.events.push({ event, payload });
    for (const wake of this.waiters) wake();
  }

  terminalText(assignmentId: string): string {
    return this.events
      .filter((e) => e.event === 'terminal.data' && (e.payload as EventPayload<'terminal.data'>).paneId === assignmentId)
      .map((e) => (e.payload as EventPayload<'terminal.data'>).data)
      .join('');
  }

  /** Resolves when `test` holds after some pushed event, or rejects after `timeoutMs`. */
  waitFor<T>(test: () => T | undefined, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = test();
        if (value !== undefined && value !== false) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  latestCard(assignmentId: string): Card | undefined {
    for (let i = this.events.length - 1; i >= 0; i -= 1) {
      const e = this.events[i]!;
      if (e.event === 'card.updated' && (e.payload as Card).assignmentId === assignmentId) return e.payload as Card;
    }
    return undefined;
  }
}

export interface TestCore {
  core: Core;
  dataDir: string;
  connection: RecordingConnection;
  invoke<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>>;
  invokeRaw(command: unknown, input: unknown): Promise<Result<unknown>>;
  /** Waits for the assignment's card to be closed out and returns it. */
  closedCard(assignmentId: string, timeoutMs?: number): Promise<Card>;
}

/** A real core on a fresh data dir with the real fixture worker, as each test's own world. */
export function startTestCore(options: Partial<CoreOptions> = {}): TestCore {
  const dataDir = options.dataDir ?? tempDir();
  const core = createCore({
    dataDir,
    version: 'test',
    fixtureWorkerScript: inject('fixtureWorkerScript'),
    log: () => undefined,
    ...options,
  });
  const connection = new RecordingConnection();
  core.connect(connection);
  const invokeRaw = (command: unknown, input: unknown) => core.router.invoke(command, input, connection);
  return {
    core,
    dataDir,
    connection,
    invokeRaw,
    async invoke(command, input) {
      const result = await invokeRaw(command, input);
      if (!result.ok) throw Object.assign(new Error(`${result.error.code}: ${result.error.message}`), { code: result.error.code });
      return result.value as CommandOutput<typeof command>;
    },
    closedCard: (assignmentId, timeoutMs) =>
      connection.waitFor(() => {
        const card = connection.latestCard(assignmentId);
        return card?.status === 'closed' ? card : undefined;
      }, timeoutMs),
  };
}
