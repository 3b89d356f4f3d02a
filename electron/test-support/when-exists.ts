import { existsSync, watch } from 'node:fs';
import path from 'node:path';

/** Resolves once `file` exists, woken by its folder's change events (the caller makes the folder). */
export function whenExists(file: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(path.dirname(file), () => check());
    const check = () => {
      if (!existsSync(file)) return;
      watcher.close();
      resolve();
    };
    check();
  });
}
