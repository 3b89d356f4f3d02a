import type { EventName, EventPayload } from '../../shared/contract';

/** One face attached to the core (a window over IPC, a browser tab or CLI over the WebSocket). */
export interface Connection {
  readonly id: string;
  readonly transport: 'ipc' | 'websocket';
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void;
}

/** Fans events out to every attached connection. */
export class ConnectionHub {
  private readonly connections = new Map<string, Connection>();
  private readonly closeListeners = new Set<(connection: Connection) => void>();

  add(connection: Connection): () => void {
    this.connections.set(connection.id, connection);
    return () => this.remove(connection.id);
  }

  broadcast<K extends EventName>(event: K, payload: EventPayload<K>): void {
    for (const connection of this.connections.values()) connection.emit(event, payload);
  }

  /** Parts that keep per-connection state (pane subscriptions) clean up here. */
  onConnectionClosed(listener: (connection: Connection) => void): void {
    this.closeListeners.add(listener);
  }

  get size(): number {
    return this.connections.size;
  }

  private remove(id: string): void {
    const connection = this.connections.get(id);
    if (!connection) return;
    this.connections.delete(id);
    for (const listener of this.closeListeners) listener(connection);
  }
}
