import { readdirSync, readFileSync } from 'node:fs';

/** How often the watcher looks: often enough to see a worker that lives a fraction of a second. */
const PROC_POLL_MS = 5;

export interface CmdlineWatch {
  /** Stops watching and returns every command line seen among the descendants, as raw bytes. */
  stop(): Buffer[];
}

function readProc(pid: string, file: string): Buffer | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`);
  } catch {
    // The process ended between the listing and the read.
    return null;
  }
}

/** The parent pid from /proc/<pid>/stat; the command name in it may hold spaces and parentheses. */
function parentOf(stat: Buffer): number {
  const text = stat.toString('latin1');
  return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
}

function scan(root: number, seen: Map<string, Buffer>): void {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(entry, 'stat');
    if (stat) parents.set(Number(entry), parentOf(stat));
  }
  for (const [pid] of parents) {
    let ancestor = parents.get(pid);
    while (ancestor !== undefined && ancestor !== root) ancestor = parents.get(ancestor);
    if (ancestor !== root) continue;
    const cmdline = readProc(String(pid), 'cmdline');
    if (cmdline && cmdline.length > 0) seen.set(`${pid}:${cmdline.toString('latin1')}`, cmdline);
  }
}

/**
 * Watches /proc (Linux) for the command lines of every process descended from `root`: what `ps`
 * shows any local user about the workers this process starts.
 */
export function watchDescendantCmdlines(root = process.pid): CmdlineWatch {
  const seen = new Map<string, Buffer>();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    scan(root, seen);
    timer = setTimeout(tick, PROC_POLL_MS);
  };
  tick();
  return {
    stop: () => {
      clearTimeout(timer);
      scan(root, seen);
      return [...seen.values()];
    },
  };
}
