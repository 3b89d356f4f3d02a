import '@git-diff-view/react/styles/diff-view.css';
import './review.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DiffFile } from '../../shared/review';
import { ErrorNote } from '../app/ErrorNote';
import { ModalDialog } from '../app/ModalDialog';
import { useCards } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { formatCount } from '../format';
import { useReviewUi } from './review-ui';
import { diffStatText, hiddenReason, patchChunks, type PatchChunk } from './review-text';
import { useDiff } from './use-review';
import { diffRows, type DiffRow } from './diff-rows';

/** A window of a file's diff is drawn while it is within this margin of the view, and dropped once it leaves it. */
const RENDER_AHEAD_MARGIN = '800px';
/** Height kept for a window not drawn yet, per line: a drawn row's height (review.css `.diff-row`), so the scrollbar and the file list stay true. */
const PLACEHOLDER_LINE_PX = 18;
/**
 * Lines per window: one window is parsed, highlighted and drawn in one main-thread task, so this keeps
 * that task well inside a frame budget while a 50,000-line file scrolls (see docs/benchmarks.md).
 */
const LINES_PER_WINDOW = 100;

/** The diff of the assignment the review store has open, over the board. */
export function DiffDialog() {
  const assignmentId = useReviewUi((state) => state.diffAssignmentId);
  const closeDiff = useReviewUi((state) => state.closeDiff);
  if (assignmentId === null) return null;
  return <DiffDialogBody assignmentId={assignmentId} onClose={closeDiff} />;
}

function DiffDialogBody({ assignmentId, onClose }: { assignmentId: string; onClose: () => void }) {
  const diff = useDiff(assignmentId);
  const title = useCards().data?.find((card) => card.assignmentId === assignmentId)?.workUnit.title ?? assignmentId;
  const label = `Diff of ${title}`;
  return (
    <ModalDialog label={label} onClose={onClose}>
      <div className="diff-dialog">
        <header className="diff-head">
          <h2>{label}</h2>
          {diff.data && (
            <p className="muted">
              {diffStatText(diff.data.stat)} against {diff.data.base.slice(0, 12)} ({diff.data.source === 'worktree' ? 'committed, uncommitted and untracked' : 'the branch; its worktree was removed'})
            </p>
          )}
          <button type="button" onClick={onClose}>
            Close
          </button>
        </header>
        {diff.isPending && <p className="muted">Reading the change…</p>}
        {diff.isError && <ErrorNote error={diff.error} />}
        {diff.data && diff.data.files.length === 0 && <p className="empty">No change against the pinned commit.</p>}
        {diff.data && diff.data.files.length > 0 && (
          <div className="diff-body">
            <nav aria-label="Changed files" className="diff-files">
              <ul>
                {diff.data.files.map((file, index) => (
                  <li key={file.path}>
                    <a href={`#diff-file-${index}`} onClick={(event) => jumpTo(event, index)}>
                      <span className="diff-path">{file.path}</span> <span className="diff-added">+{formatCount(file.added)}</span>{' '}
                      <span className="diff-removed">-{formatCount(file.removed)}</span>
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="diff-panes" id="diff-panes">
              {diff.data.files.map((file, index) => (
                <FileDiff key={file.path} file={file} index={index} />
              ))}
            </div>
          </div>
        )}
      </div>
    </ModalDialog>
  );
}

/** Scrolls the dialog's own pane (not the page behind the modal) to the file. */
function jumpTo(event: React.MouseEvent, index: number) {
  event.preventDefault();
  document.getElementById(`diff-file-${index}`)?.scrollIntoView({ block: 'start' });
}

function FileDiff({ file, index }: { file: DiffFile; index: number }) {
  const hidden = hiddenReason(file);
  const windows = useMemo(() => (hidden === null && file.patch !== null ? patchChunks(file.patch, LINES_PER_WINDOW) : []), [hidden, file.patch]);
  const name = file.oldPath ? `${file.oldPath} → ${file.path}` : file.path;
  return (
    <section id={`diff-file-${index}`} className="diff-file" aria-label={`Diff of ${file.path}`}>
      <h3 className="diff-file-head">
        <span className="diff-path">{name}</span> <span className="muted">{file.status}</span> <span className="diff-added">+{formatCount(file.added)}</span>{' '}
        <span className="diff-removed">-{formatCount(file.removed)}</span>
      </h3>
      {hidden !== null && <p className="muted">{hidden}</p>}
      {windows.map((part, at) => (
        <DiffWindow key={at} file={file} part={part} />
      ))}
    </section>
  );
}

/**
 * One window of a file's diff: drawn while near the view, else a placeholder of its last drawn (or
 * estimated) height, so only the windows around the view are in the page however long the file.
 */
function DiffWindow({ file, part }: { file: DiffFile; part: PatchChunk }) {
  const near = useNearView();
  const height = near.height ?? part.lines * PLACEHOLDER_LINE_PX;
  return (
    <div ref={near.ref} className="diff-window" style={near.visible ? undefined : { height }}>
      {near.visible && <DrawnDiff file={file} patch={part.patch} />}
    </div>
  );
}

/** The mark each kind of row shows before its text. */
const ROW_SIGN: Record<DiffRow['kind'], string> = { hunk: '', context: ' ', added: '+', removed: '-', note: '' };

/**
 * One window of a file's diff, drawn as rows from its patch, coloured by the diff library's
 * highlighter and theme. The rows are ours, not the library's view: that view composes both whole
 * sides up to the window's line numbers, about 1.6 s for 200 lines at line 49,800 (docs/review.md).
 */
function DrawnDiff({ file, patch }: { file: DiffFile; patch: string }) {
  const theme = useUiStore((state) => state.theme);
  const rows = useMemo(() => diffRows(patch, file.oldPath ?? file.path, file.path), [file, patch]);
  return (
    <div className="diff-tailwindcss-wrapper" data-theme={theme}>
      <div className="diff-style-root">
        <table className="diff-rows">
          <tbody>
            {rows.map((row, at) => (
              <tr key={at} className={`diff-row diff-row-${row.kind}`}>
                <td className="diff-num">{row.oldLine ?? ''}</td>
                <td className="diff-num">{row.newLine ?? ''}</td>
                <td className="diff-code">
                  <span className="diff-line-syntax-raw">
                    <span className="diff-sign">{ROW_SIGN[row.kind]}</span>
                    {row.tokens.map((token, index) => (
                      <span key={index} className={token.className || undefined}>
                        {token.text}
                      </span>
                    ))}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Whether the element is within RENDER_AHEAD_MARGIN of the dialog's view, and its height when it last left it. */
function useNearView(): { ref: React.RefObject<HTMLDivElement | null>; visible: boolean; height: number | null } {
  const ref = useRef<HTMLDivElement | null>(null);
  const [state, setState] = useState<{ visible: boolean; height: number | null }>({ visible: false, height: null });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new IntersectionObserver(
      (entries) => {
        const entry = entries.at(-1);
        if (!entry) return;
        // Leaving, the drawn height is kept for the placeholder, so nothing below it moves.
        setState((was) => (was.visible === entry.isIntersecting ? was : { visible: entry.isIntersecting, height: entry.isIntersecting ? was.height : entry.boundingClientRect.height }));
      },
      { root: document.getElementById('diff-panes'), rootMargin: RENDER_AHEAD_MARGIN },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, ...state };
}
