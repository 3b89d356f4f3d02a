import '@git-diff-view/react/styles/diff-view.css';
import './review.css';
import { DiffModeEnum, DiffView, getLang } from '@git-diff-view/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DiffFile } from '../../shared/review';
import { ErrorNote } from '../app/ErrorNote';
import { ModalDialog } from '../app/ModalDialog';
import { useCards } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { formatCount } from '../format';
import { useReviewUi } from './review-ui';
import { diffStatText, hiddenReason, sidesOfPatch } from './review-text';
import { useDiff } from './use-review';

/** A file's diff is drawn only once it scrolls within this margin of the view: a 50,000-line change opens at once. */
const RENDER_AHEAD_MARGIN = '600px';
/** Height kept for a file not drawn yet, per changed line, so the scrollbar and the file list stay true. */
const PLACEHOLDER_LINE_PX = 20;
/** A file with more changed lines than this waits for a click, so one long file never stalls the board. */
const RENDER_ON_REQUEST_LINES = 3_000;

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
  const lines = file.added + file.removed;
  const near = useNearView(hidden === null);
  const [asked, setAsked] = useState(false);
  const draw = hidden === null && near.visible && (lines <= RENDER_ON_REQUEST_LINES || asked);
  const name = file.oldPath ? `${file.oldPath} → ${file.path}` : file.path;
  return (
    <section id={`diff-file-${index}`} ref={near.ref} className="diff-file" aria-label={`Diff of ${file.path}`}>
      <h3 className="diff-file-head">
        <span className="diff-path">{name}</span> <span className="muted">{file.status}</span> <span className="diff-added">+{formatCount(file.added)}</span>{' '}
        <span className="diff-removed">-{formatCount(file.removed)}</span>
      </h3>
      {hidden !== null && <p className="muted">{hidden}</p>}
      {hidden === null && !draw && near.visible && (
        <button type="button" onClick={() => setAsked(true)}>
          Show {formatCount(lines)} changed lines
        </button>
      )}
      {hidden === null && !draw && !near.visible && <div style={{ height: Math.min(lines, RENDER_ON_REQUEST_LINES) * PLACEHOLDER_LINE_PX }} />}
      {draw && file.patch !== null && <DrawnDiff file={file} patch={file.patch} />}
    </section>
  );
}

/** One file's diff, drawn: its sides are rebuilt from the patch only here, for the files in view. */
function DrawnDiff({ file, patch }: { file: DiffFile; patch: string }) {
  const theme = useUiStore((state) => state.theme);
  // One object per file: the view parses its patch again whenever `data` is a new object.
  const data = useMemo(() => {
    const sides = sidesOfPatch(patch);
    return {
      oldFile: { fileName: file.oldPath ?? file.path, fileLang: getLang(file.oldPath ?? file.path), content: file.status === 'added' ? '' : sides.oldText },
      newFile: { fileName: file.path, fileLang: getLang(file.path), content: file.status === 'deleted' ? '' : sides.newText },
      hunks: [patch],
    };
  }, [file, patch]);
  return <DiffView data={data} diffViewMode={DiffModeEnum.Unified} diffViewHighlight diffViewWrap={false} diffViewTheme={theme} diffViewFontSize={12} />;
}

/** Becomes visible (and stays so) once the element comes within RENDER_AHEAD_MARGIN of the dialog's view. */
function useNearView(watch: boolean): { ref: React.RefObject<HTMLElement | null>; visible: boolean } {
  const ref = useRef<HTMLElement | null>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!watch || visible || !element) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setVisible(true);
      },
      { root: document.getElementById('diff-panes'), rootMargin: RENDER_AHEAD_MARGIN },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [watch, visible]);
  return { ref, visible };
}
