import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The owner's own CLI homes: no test may touch them, so they are planted in a fake HOME and checked after. */
const SENTINELS: Record<string, string> = {
  '.codex/auth.json': '{"sentinel":"owner codex login"}\n',
  '.codex/config.toml': "# sentinel: the owner's codex config\n",
  '.claude/.credentials.json': '{"sentinel":"owner claude login"}\n',
  '.claude/settings.json': '{"sentinel":true}\n',
  '.claude.json': '{"sentinel":"owner claude state"}\n',
};

function snapshot(home: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(home, full), readFileSync(full, 'base64'));
    }
  };
  for (const top of ['.codex', '.claude']) walk(path.join(home, top));
  files.set('.claude.json', readFileSync(path.join(home, '.claude.json'), 'base64'));
  return files;
}

/**
 * Points HOME (for this process and every child started after) at a fresh folder holding sentinel
 * `.codex/`, `.claude/` and `.claude.json`. The returned check throws if a byte of them changed.
 */
export function plantOwnerHome(): { home: string; verify(): void } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'khala-owner-home-'));
  for (const [file, text] of Object.entries(SENTINELS)) {
    mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
    writeFileSync(path.join(home, file), text);
  }
  const before = snapshot(home);
  process.env.HOME = home;
  process.env.USERPROFILE = home;
  return {
    home,
    verify() {
      const after = snapshot(home);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file));
      rmSync(home, { recursive: true, force: true });
      if (changed.length > 0) throw new Error(`The owner's CLI homes were touched by the tests: ${changed.join(', ')}`);
    },
  };
}
