import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Provider } from '../../shared/accounts';

const FAKES_DIR = fileURLToPath(new URL('./fake-clis/', import.meta.url));
const SOURCES: Record<Provider, string> = {
  claude: path.join(FAKES_DIR, 'fake-claude.cjs'),
  codex: path.join(FAKES_DIR, 'fake-codex.cjs'),
};

export interface FakeCli {
  /** The executable, named like the real one. */
  path: string;
  setMode(mode: Record<string, unknown>): void;
  /** Every call the app made, with the home variables it passed. */
  calls(): { args: string[]; HOME?: string; CLAUDE_CONFIG_DIR?: string; CODEX_HOME?: string }[];
  /** Every worker prompt it read on stdin, with the pid of the process that read it. */
  prompts(): { pid: number; prompt: string }[];
}

/** Copies a fake provider CLI into its own folder, so each test sets its own behaviour. */
export function makeFakeCli(provider: Provider, mode: Record<string, unknown> = {}): FakeCli {
  const dir = mkdtempSync(path.join(os.tmpdir(), `khala-fake-${provider}-`));
  const executable = path.join(dir, provider);
  copyFileSync(SOURCES[provider], executable);
  chmodSync(executable, 0o755);
  const setMode = (next: Record<string, unknown>) => writeFileSync(path.join(dir, 'mode.json'), JSON.stringify(next));
  setMode(mode);
  return {
    path: executable,
    setMode,
    calls: () => readJsonLines(path.join(dir, 'calls.jsonl')),
    prompts: () => readJsonLines(path.join(dir, 'prompts.jsonl')),
  };
}

function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}
