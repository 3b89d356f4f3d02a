import { useLayoutEffect, useRef } from 'react';
import type { LifecycleEvent, LifecycleKind } from '../../shared/domain';
import { ErrorNote } from '../app/ErrorNote';
import { useAssignment } from '../data/queries';
import { formatClock } from '../format';

/** Progress lines are the worker's own narration (the card's last line); the strip shows the board's milestones. */
const HIDDEN_KINDS: ReadonlySet<LifecycleKind> = new Set(['runtime_progress']);
const FAILING_KINDS: ReadonlySet<LifecycleKind> = new Set(['runtime_failed', 'interrupted']);

function tone(event: LifecycleEvent): 'ok' | 'bad' | 'info' {
  if (FAILING_KINDS.has(event.kind)) return 'bad';
  if (event.kind === 'verify_finished') return event.summary === 'verify passed' ? 'ok' : 'bad';
  if (event.kind === 'closeout_submitted') return event.summary.startsWith('closeout ok') ? 'ok' : 'bad';
  if (event.kind === 'runtime_finished') return 'ok';
  return 'info';
}

/**
 * The board's own status lines for one assignment (started, exited, verify, closeout), drawn from
 * the store outside the terminal: nothing the worker prints can imitate or overwrite them.
 * It follows live because every card update refetches the assignment.
 */
export function StatusStrip({ assignmentId, title }: { assignmentId: string; title: string }) {
  const detail = useAssignment(assignmentId);
  const listRef = useRef<HTMLDivElement>(null);
  const events = (detail.data?.events ?? []).filter((event) => !HIDDEN_KINDS.has(event.kind));
  const newest = events.at(-1)?.seq ?? -1;
  // The newest line is the one that matters (exited, verify, closeout): it is kept in view as lines arrive.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [newest]);
  if (detail.isError) return <ErrorNote error={detail.error} />;
  const now = Date.now();
  return (
    // The log wraps the list (a list's own role is list, so its items stay items), and takes focus so the keyboard can scroll it.
    <div ref={listRef} className="status-strip" role="log" aria-label={`Board status of ${title}`} tabIndex={0}>
      <ol>
        {events.map((event) => (
          <li key={event.seq} className={`status-line status-${tone(event)}`} data-kind={event.kind}>
            <time dateTime={event.at}>{formatClock(event.at, now)}</time> <span>{event.summary}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
