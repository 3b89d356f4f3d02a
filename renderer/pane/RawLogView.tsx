import { useLayoutEffect, useRef } from 'react';
import { ErrorNote } from '../app/ErrorNote';
import { useRawLog } from '../data/queries';

/** How close to the bottom still counts as "at the bottom", so a fraction of a line does not stop following. */
const FOLLOW_SLACK_PX = 24;

/** The worker's JSONL as it printed it; refetched on every card update, following the end unless scrolled up. */
export function RawLogView({ assignmentId }: { assignmentId: string }) {
  const raw = useRawLog(assignmentId);
  const preRef = useRef<HTMLPreElement>(null);
  const following = useRef(true);
  const text = raw.data?.text;

  useLayoutEffect(() => {
    const pre = preRef.current;
    if (pre && following.current) pre.scrollTop = pre.scrollHeight;
  }, [text]);

  if (raw.isPending) return <p className="muted pane-note">Loading the raw log…</p>;
  if (raw.isError) return <ErrorNote error={raw.error} className="pane-note" />;
  return (
    <div className="raw-log">
      {raw.data.truncated && <p className="muted">showing the tail of a long log</p>}
      <pre
        ref={preRef}
        className="raw-events"
        aria-label="Raw events"
        // Scrollable content must be reachable by keyboard.
        tabIndex={0}
        onScroll={(event) => {
          const pre = event.currentTarget;
          following.current = pre.scrollHeight - pre.scrollTop - pre.clientHeight < FOLLOW_SLACK_PX;
        }}
      >
        {raw.data.text || '(no raw events yet)'}
      </pre>
    </div>
  );
}
