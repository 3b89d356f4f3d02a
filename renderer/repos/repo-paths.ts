import type { FolderSuggestion, RepositoryInfo } from '../../shared/repos';

/** A path's last part, as a recent repository's button names it. */
export function folderName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const name = trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
  return name === '' ? path : name;
}

/** What the field holds after a folder is picked: a repository as it is, any other folder with `/` to list its own folders next. */
export function pickedPath(folder: FolderSuggestion): string {
  return folder.repository ? folder.path : `${folder.path}/`;
}

/** What the picked folder is, under the path field: its branch, and its top folder when a sub-folder was typed. */
export function repositoryNote(info: RepositoryInfo, typed: string): string {
  const branch = info.currentBranch === null ? 'A git repository with no branch checked out (a detached HEAD).' : `A git repository on ${info.currentBranch}.`;
  const atTop = typed.trim().replace(/[\\/]+$/, '') === info.root;
  return atTop ? branch : `${branch} Work starts from its top folder, ${info.root}.`;
}
