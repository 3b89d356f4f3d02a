import * as pty from 'node-pty';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../../../shared/errors';
import type { AssignmentStore } from '../assignments/assignment-store';
import { assignmentFiles } from '../assignments/paths';
import { newRef } from '../refs';
import { PaneOutput } from '../terminal/pane-output';
import type { PaneRegistry } from '../terminal/pane-registry';
import { renderLifecycle } from '../transcript/render';
import { ownerEnvironment } from '../workers/environment';
import { signalTree } from '../workers/process-tree';

/** A shell pane's id starts so; a transcript pane's id is its assignment's. */
const SHELL_PANE_PREFIX = 'shell';

export function isShellPane(paneId: string): boolean {
  return paneId.startsWith(`${SHELL_PANE_PREFIX}-`);
}

const FALLBACK_SHELL = '/bin/bash';

/**
 * Every shell of a data dir carries this in its environment (so do the jobs it starts): a host that
 * died leaves its shells' background jobs behind, and the next host of that data dir finds them by it.
 */
export const SHELL_ENV = 'KHALA_SHELL_OF';

/** Interactive shells (node-pty) in assignments' worktrees, shown as flow-controlled panes. */
export class ShellService {
  private readonly shells = new Map<string, pty.IPty>();

  constructor(
    private readonly deps: { store: AssignmentStore; panes: PaneRegistry; dataDir: string; log: (message: string) => void },
  ) {}

  /** At start: what shells of a previous host left running (a shell's background job) is ended, never left behind. */
  endOrphans(): number[] {
    const pids = signalTree({ rootPid: () => null, marker: `${SHELL_ENV}=${this.deps.dataDir}` }, 'SIGTERM');
    if (pids.length > 0) this.deps.log(`ended ${pids.length} processes a previous host's shells left running (pids ${pids.join(', ')})`);
    return pids;
  }

  open(assignmentId: string, cols: number, rows: number): { paneId: string } {
    const a = this.deps.store.get(assignmentId);
    if (a.worktreeRemovedAt || !existsSync(a.worktreePath)) {
      throw new FleetError('invalid_input', `The worktree of ${a.id} is gone, so there is nowhere to open a shell.`);
    }
    const paneId = newRef(SHELL_PANE_PREFIX);
    const dir = assignmentFiles(this.deps.dataDir, a.taskRef, a.id).dir;
    const pane = this.deps.panes.add(new PaneOutput(paneId, path.join(dir, `${paneId}.log`)));
    const shell = pty.spawn(process.env.SHELL || FALLBACK_SHELL, [], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: a.worktreePath,
      env: { ...ownerEnvironment(), TERM: 'xterm-256color', [SHELL_ENV]: this.deps.dataDir },
    });
    this.shells.set(paneId, shell);
    // node-pty throws a pty read error (other than EIO at exit) unless someone listens for it; the exit still follows.
    (shell as unknown as { on(event: 'error', listener: (error: Error) => void): void }).on('error', (error) =>
      this.deps.log(`shell ${paneId}: ${error.message}`),
    );
    pane.setSource({ pause: () => shell.pause(), resume: () => shell.resume() });
    shell.onData((data) => pane.write(data));
    shell.onExit(({ exitCode }) => {
      pane.write(renderLifecycle(`shell exited ${exitCode}`, exitCode === 0 ? 'info' : 'fail'));
      this.shells.delete(paneId);
      void pane.finish().then(() => this.deps.panes.remove(paneId));
    });
    return { paneId };
  }

  input(paneId: string, data: string): void {
    this.get(paneId).write(data);
  }

  resize(paneId: string, cols: number, rows: number): void {
    this.get(paneId).resize(cols, rows);
  }

  close(paneId: string): void {
    this.get(paneId).kill();
  }

  shutdown(): void {
    for (const shell of this.shells.values()) shell.kill();
  }

  private get(paneId: string): pty.IPty {
    const shell = this.shells.get(paneId);
    if (!shell) throw new FleetError('shell_not_found', `No open shell ${paneId}.`);
    return shell;
  }
}
