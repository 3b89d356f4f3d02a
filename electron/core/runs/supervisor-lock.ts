import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'supervisor.lock';

interface LockFile {
  pid: number;
  holder: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One supervisor per data dir. The lock names the process and this core (two cores can share a
 * process in tests); a lock whose process is gone is taken over.
 */
export class SupervisorLock {
  private readonly file: string;
  private readonly holder = randomUUID();
  readonly held: boolean;
  /** Who holds it when this core does not. */
  readonly heldBy: number | null;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, LOCK_FILE);
    const current = this.read();
    if (current && alive(current.pid)) {
      this.held = false;
      this.heldBy = current.pid;
      return;
    }
    writeFileSync(this.file, JSON.stringify({ pid: process.pid, holder: this.holder } satisfies LockFile), { mode: 0o600 });
    // Another core may have written between the read and the write: the file says who won.
    this.held = this.read()?.holder === this.holder;
    this.heldBy = this.held ? null : (this.read()?.pid ?? null);
  }

  release(): void {
    if (this.held && this.read()?.holder === this.holder) rmSync(this.file, { force: true });
  }

  private read(): LockFile | null {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as LockFile;
    } catch {
      return null;
    }
  }
}
