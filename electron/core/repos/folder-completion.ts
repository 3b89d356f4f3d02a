import { existsSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { FleetError } from '../../../shared/errors';
import { FOLDER_SUGGESTIONS_MAX, type FolderCompletion, type FolderSuggestion } from '../../../shared/repos';
import { echoPrefix } from '../router';

/** `~` and `~/…` as a shell reads them; the owner's home is the only one named so. */
const HOME_PREFIX = /^~(?=$|\/)/;

function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** The real path, or null for a path that does not exist (yet: the owner is still typing it). */
async function realOrNull(target: string): Promise<string | null> {
  try {
    return await realpath(target);
  } catch {
    return null;
  }
}

function outsideHome(home: string): FleetError {
  return new FleetError('path_outside_home', `Folders are suggested only inside your home folder, ${home}.`);
}

/**
 * The sub-folders of what the owner typed in a path field: the folder itself when the text ends in
 * `/`, else the folders next to it whose names start with its last part. Only folders inside the
 * owner's home are listed (a symlink is followed only when it stays there); a relative path is
 * refused, and a folder that does not exist or cannot be read lists nothing.
 */
export async function completeFolder(typed: string, home: string): Promise<FolderCompletion> {
  const text = typed.trim();
  const expanded = text === '' ? `${home}/` : text.replace(HOME_PREFIX, home);
  if (!path.isAbsolute(expanded)) {
    throw new FleetError('invalid_input', `Type a full path starting with / or ~/ to see its folders (not ${echoPrefix(text)}).`);
  }
  const endsInFolder = expanded.endsWith('/');
  const folder = path.resolve(endsInFolder ? expanded : path.dirname(expanded));
  const prefix = endsInFolder ? '' : path.basename(expanded);
  const realHome = (await realOrNull(home)) ?? path.resolve(home);
  if (!inside(folder, path.resolve(home)) && !inside(folder, realHome)) throw outsideHome(home);
  const realFolder = await realOrNull(folder);
  if (realFolder === null) return { folder, folders: [], truncated: false };
  // A link inside the home that leads out of it lists nothing of where it leads.
  if (!inside(realFolder, realHome)) throw outsideHome(home);

  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return { folder, folders: [], truncated: false };
  }
  const showHidden = prefix.startsWith('.');
  const names = entries
    .filter((entry) => entry.name.startsWith(prefix) && (showHidden || !entry.name.startsWith('.')))
    .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
    .map((entry) => ({ name: entry.name, link: entry.isSymbolicLink() }))
    .sort((a, b) => a.name.localeCompare(b.name));

  const folders: FolderSuggestion[] = [];
  let truncated = false;
  for (const { name, link } of names) {
    const full = path.join(folder, name);
    if (link && !(await isFolderInside(full, realHome))) continue;
    if (folders.length === FOLDER_SUGGESTIONS_MAX) {
      truncated = true;
      break;
    }
    folders.push({ path: full, name, repository: existsSync(path.join(full, '.git')) });
  }
  return { folder, folders, truncated };
}

async function isFolderInside(link: string, realHome: string): Promise<boolean> {
  const target = await realOrNull(link);
  if (target === null || !inside(target, realHome)) return false;
  try {
    return (await stat(target)).isDirectory();
  } catch {
    return false;
  }
}
