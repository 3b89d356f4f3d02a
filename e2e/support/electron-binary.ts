import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The Electron binary, or why there is none (it is skipped at install on machines that cannot download it). */
export function electronBinary(): { path: string } | { missing: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as string;
    return existsSync(binary) ? { path: binary } : { missing: `no Electron binary at ${binary}` };
  } catch (error) {
    return { missing: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}
