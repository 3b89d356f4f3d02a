import os from 'node:os';
import path from 'node:path';

/** The product name Electron uses for its userData folder; browser mode uses the same folder. */
export const PRODUCT_NAME = 'Khala Fleet Board';

/** KHALA_HOME wins; otherwise the per-OS folder Electron's app.getPath('userData') would pick. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KHALA_HOME) return path.resolve(env.KHALA_HOME);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}
