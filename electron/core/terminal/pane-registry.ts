import type { PaneHooks, PaneOutput } from './pane-output';

/** Every live pane by id: assignment transcripts (id = assignment id) and interactive shells. */
export class PaneRegistry {
  private readonly panes = new Map<string, PaneOutput>();

  /** @param hooks given to every pane added: the stall timeout (injectable for tests), fault and log sinks. */
  constructor(private readonly hooks: Partial<PaneHooks> = {}) {}

  add(pane: PaneOutput): PaneOutput {
    pane.configure(this.hooks);
    this.panes.set(pane.paneId, pane);
    return pane;
  }

  get(paneId: string): PaneOutput | undefined {
    return this.panes.get(paneId);
  }

  remove(paneId: string): void {
    this.panes.delete(paneId);
  }

  /** A connection that went away stops counting toward any pane's flow control. */
  detachEverywhere(connectionId: string): void {
    for (const pane of this.panes.values()) pane.detach(connectionId);
  }
}
