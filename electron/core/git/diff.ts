import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FleetError } from '../../../shared/errors';
import { HUGE_FILE_PATCH_LINES, type DiffFile, type DiffStat } from '../../../shared/review';
import { gitOutput, runGit } from './run-git';

/** Patches are asked for this many paths at a time, so a change of thousands of files stays under argv limits. */
const PATHS_PER_PATCH_CALL = 200;

/** What a change is measured to: a worktree as it is now, or a branch (once its worktree is gone). */
export type ChangeTarget = { kind: 'worktree'; path: string } | { kind: 'ref'; repo: string; ref: string };

const STATUS: Record<string, DiffFile['status']> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'copied', T: 'type_changed' };

interface Entry {
  path: string;
  oldPath: string | null;
  status: DiffFile['status'];
  added: number;
  removed: number;
  binary: boolean;
}

/**
 * Runs `git diff <args>` against `base`. For a worktree the comparison is to a throwaway index that
 * holds everything in it (committed, uncommitted and untracked, minus what .gitignore leaves out),
 * so the worker's own index and files are never touched.
 */
async function diffAgainst(base: string, target: ChangeTarget, options: string[], paths: string[] = []): Promise<string> {
  const common = ['--literal-pathspecs', 'diff', '--no-ext-diff', '--no-color', '-M', ...options];
  const only = paths.length > 0 ? ['--', ...paths] : [];
  if (target.kind === 'ref') {
    const out = await runGit(target.repo, [...common, base, target.ref, ...only]);
    if (!out.ok) throw new FleetError('invalid_input', `git diff failed: ${gitOutput(out)}`);
    return out.stdout;
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'khala-diff-'));
  try {
    const index = path.join(scratch, 'index');
    const own = await runGit(target.path, ['rev-parse', '--path-format=absolute', '--git-path', 'index']);
    // A copy of the worktree's index keeps git's stat cache, so only changed files are hashed again.
    if (own.ok && existsSync(own.stdout.trim())) copyFileSync(own.stdout.trim(), index);
    const env = { GIT_INDEX_FILE: index };
    const added = await runGit(target.path, ['add', '-A', '--', '.'], env);
    if (!added.ok) throw new FleetError('invalid_input', `Could not read the worktree's changes: ${gitOutput(added)}`);
    const out = await runGit(target.path, [...common, '--cached', base, ...only], env);
    if (!out.ok) throw new FleetError('invalid_input', `git diff failed: ${gitOutput(out)}`);
    return out.stdout;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Parses `--numstat -z` and `--name-status -z` output together. */
async function entries(base: string, target: ChangeTarget): Promise<Entry[]> {
  const [numstat, names] = await Promise.all([diffAgainst(base, target, ['--numstat', '-z']), diffAgainst(base, target, ['--name-status', '-z'])]);
  const statuses = new Map<string, { status: DiffFile['status']; oldPath: string | null }>();
  const nameFields = names.split('\0');
  for (let i = 0; i < nameFields.length - 1; ) {
    const code = nameFields[i++]!;
    const letter = code.charAt(0);
    if (letter === 'R' || letter === 'C') {
      const oldPath = nameFields[i++]!;
      const newPath = nameFields[i++]!;
      statuses.set(newPath, { status: STATUS[letter]!, oldPath });
    } else {
      statuses.set(nameFields[i++]!, { status: STATUS[letter] ?? 'modified', oldPath: null });
    }
  }
  const result: Entry[] = [];
  const fields = numstat.split('\0');
  for (let i = 0; i < fields.length - 1; ) {
    const [addedText = '', removedText = '', inlinePath = ''] = fields[i++]!.split('\t');
    let filePath = inlinePath;
    // A rename or copy leaves the path empty and gives the old and new paths as the next two fields.
    if (inlinePath === '') {
      i += 1;
      filePath = fields[i++]!;
    }
    const binary = addedText === '-';
    const known = statuses.get(filePath);
    result.push({
      path: filePath,
      oldPath: known?.oldPath ?? null,
      status: known?.status ?? 'modified',
      added: binary ? 0 : Number(addedText),
      removed: binary ? 0 : Number(removedText),
      binary,
    });
  }
  return result;
}

function statOf(files: readonly { added: number; removed: number }[]): DiffStat {
  return {
    files: files.length,
    added: files.reduce((sum, f) => sum + f.added, 0),
    removed: files.reduce((sum, f) => sum + f.removed, 0),
  };
}

/** `+N -M, F files` of a change: one numstat, no patches. */
export async function changeStat(base: string, target: ChangeTarget): Promise<DiffStat> {
  return statOf(await entries(base, target));
}

/** Splits a multi-file patch at its `diff --git` headers (a content line always starts with ' ', '+' or '-'). */
function splitPatches(text: string): string[] {
  if (!text) return [];
  return text.split(/^(?=diff --git )/m).filter((part) => part.startsWith('diff --git '));
}

/** Every changed file with its counts, and the patch of each one that is neither binary nor huge. */
export async function changeFiles(base: string, target: ChangeTarget): Promise<{ stat: DiffStat; files: DiffFile[] }> {
  const found = await entries(base, target);
  const isHuge = (entry: Entry) => entry.added + entry.removed > HUGE_FILE_PATCH_LINES;
  const shown = found.filter((entry) => !entry.binary && !isHuge(entry));
  const patches = new Map<Entry, string>();
  for (let start = 0; start < shown.length; start += PATHS_PER_PATCH_CALL) {
    const chunk = shown.slice(start, start + PATHS_PER_PATCH_CALL);
    const paths = chunk.flatMap((entry) => (entry.oldPath ? [entry.oldPath, entry.path] : [entry.path]));
    const parts = splitPatches(await diffAgainst(base, target, ['--patch'], paths));
    // git writes the patches in the order it wrote the counts; a mismatch is read one file at a time.
    if (parts.length === chunk.length) chunk.forEach((entry, index) => patches.set(entry, parts[index]!));
    else {
      for (const entry of chunk) {
        const one = splitPatches(await diffAgainst(base, target, ['--patch'], [...(entry.oldPath ? [entry.oldPath] : []), entry.path]));
        if (one[0]) patches.set(entry, one[0]);
      }
    }
  }
  const files = found.map((entry): DiffFile => ({ ...entry, huge: isHuge(entry), patch: patches.get(entry) ?? null }));
  return { stat: statOf(found), files };
}
