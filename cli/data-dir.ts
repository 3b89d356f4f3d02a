import path from 'node:path';
import { defaultDataDir } from '../electron/host/data-dir';

/** Points the CLI (and `khala serve`) at a data dir without a flag on every call. */
export const DATA_DIR_ENV = 'KHALA_DATA_DIR';

/** `--data-dir`, then KHALA_DATA_DIR, then the host's own default (KHALA_HOME or the per-OS folder). */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  const fromEnv = env[DATA_DIR_ENV];
  if (fromEnv) return path.resolve(fromEnv);
  return defaultDataDir(env);
}
