import { useId, useState, type KeyboardEvent } from 'react';
import type { FolderSuggestion, RepositoryInfo } from '../../shared/repos';
import { ErrorNote } from '../app/ErrorNote';
import { useFleetConnection } from '../bridge/context';
import { errorText, isHostUnavailable } from '../bridge/errors';
import { folderName, pickedPath, repositoryNote } from './repo-paths';
import { useChooseFolder, useFolderCompletion, useRecentRepos } from './use-repos';
import './repos.css';

/**
 * Where work starts: a path field that lists the sub-folders of what is typed (a combobox), the
 * recent repositories one click away, and in the desktop app a folder dialog.
 */
export function RepoPicker({
  label,
  value,
  onChange,
  problem,
  repository,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange: (path: string) => void;
  problem?: string | undefined;
  /** The core's description of the typed path: the note under the field says what it is, or why it is not a repository. */
  repository?: { data: RepositoryInfo | undefined; error: unknown };
  autoFocus?: boolean;
}) {
  const id = useId();
  const listId = `${id}-folders`;
  const problemId = `${id}-problem`;
  const noteId = `${id}-note`;
  const [focused, setFocused] = useState(false);
  const [listOpen, setListOpen] = useState(true);
  const [active, setActive] = useState(-1);
  const completion = useFolderCompletion(value, focused);
  const recent = useRecentRepos();
  const desktop = useFleetConnection().transport === 'ipc';
  const chooseFolder = useChooseFolder();

  const folders = focused && listOpen ? (completion.data?.folders ?? []) : [];
  const shown = folders.length > 0;
  const recentOthers = (recent.data ?? []).filter((repo) => repo.path !== value.trim());

  const pick = (folder: FolderSuggestion) => {
    onChange(pickedPath(folder));
    setActive(-1);
    // A repository is where the owner was going; a plain folder is a step on the way, so its own folders follow.
    setListOpen(!folder.repository);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!shown) return setListOpen(true);
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (index + step + folders.length) % folders.length);
    } else if (event.key === 'Enter' && shown && active >= 0 && folders[active]) {
      // Enter takes the highlighted folder instead of submitting the form.
      event.preventDefault();
      pick(folders[active]);
    } else if (event.key === 'Escape' && shown) {
      // The list closes first; the dialog stays open.
      event.preventDefault();
      event.stopPropagation();
      setListOpen(false);
    }
  };

  // While the path is being typed it is not yet wrong: why it is no repository is said once the field is left.
  const describeError = repository?.error && !focused && !isHostUnavailable(repository.error) ? errorText(repository.error) : undefined;
  const note = repository?.data ? repositoryNote(repository.data, value) : describeError;
  const describedBy = [problem ? problemId : null, note ? noteId : null].filter(Boolean).join(' ') || undefined;
  const completionProblem = focused && completion.isError && value.trim() !== '' ? errorText(completion.error) : null;

  return (
    <div className="field repo-picker">
      <label htmlFor={id}>{label}</label>
      <div className="repo-picker-row">
        <input
          id={id}
          role="combobox"
          aria-expanded={shown}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={problem !== undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
          placeholder="/path/to/a/git/repository, or ~/ to browse"
          value={value}
          onChange={(event) => {
            onChange(event.target.value);
            setListOpen(true);
            setActive(-1);
          }}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onKeyDown={onKeyDown}
        />
        {desktop && (
          <button
            type="button"
            onClick={() =>
              chooseFolder.mutate(undefined, {
                onSuccess: ({ path }) => {
                  if (path !== null) onChange(path);
                },
              })
            }
            disabled={chooseFolder.isPending}
          >
            Choose folder…
          </button>
        )}
      </div>
      <ul id={listId} role="listbox" aria-label="Folders" className="repo-folders" hidden={!shown}>
        {folders.map((folder, index) => (
          <li
            key={folder.path}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'active' : undefined}
            // mousedown, not click: the input keeps its focus, so the list is still there for the next step.
            onMouseDown={(event) => {
              event.preventDefault();
              pick(folder);
            }}
          >
            <span className="repo-folder-name">{folder.name}</span>
            {folder.repository && <span className="repo-folder-tag">git repository</span>}
          </li>
        ))}
      </ul>
      {shown && completion.data?.truncated && <p className="muted repo-note">More folders match: keep typing to narrow the list.</p>}
      {completionProblem && <p className="muted repo-note">{completionProblem}</p>}
      {problem && (
        <p id={problemId} className="field-problem">
          {problem}
        </p>
      )}
      {note && (
        <p id={noteId} className="muted repo-note">
          {note}
        </p>
      )}
      {chooseFolder.isError && <ErrorNote error={chooseFolder.error} />}
      {recentOthers.length > 0 && (
        <div role="group" aria-label="Recent repositories" className="repo-recent">
          <span className="muted">Recent:</span>
          {recentOthers.map((repo) => (
            <button key={repo.path} type="button" className="repo-recent-item" title={repo.path} onClick={() => onChange(repo.path)}>
              {folderName(repo.path)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
