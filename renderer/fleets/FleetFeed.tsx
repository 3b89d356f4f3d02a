import { useLayoutEffect, useRef, useState } from 'react';
import type { FleetWorkerView } from '../../shared/fleets';
import { ErrorNote } from '../app/ErrorNote';
import { Field } from '../app/Field';
import { useNow } from '../clock';
import { useFleetFeed } from '../data/queries';
import { formatClock } from '../format';
import { feedKindLabels, filterFeed, isAtEnd } from './feed';

/** Every worker's messages, tool calls, results and state changes in time order, following the newest. */
export function FleetFeed({ fleetId, root, workers }: { fleetId: string; root: string; workers: readonly FleetWorkerView[] }) {
  const feed = useFleetFeed(fleetId, root);
  const [workerId, setWorkerId] = useState<string | null>(null);
  const [following, setFollowing] = useState(true);
  const box = useRef<HTMLOListElement>(null);
  const now = useNow(false);
  const entries = filterFeed(feed.data?.entries ?? [], workerId);

  // After new lines render, stay at the end unless the owner scrolled up to read.
  useLayoutEffect(() => {
    const list = box.current;
    if (following && list) list.scrollTop = list.scrollHeight;
  }, [entries.length, following]);

  return (
    <section className="fleet-feed" aria-label="Fleet feed">
      <div className="fleet-feed-head">
        <Field label="Worker">
          {(props) => (
            <select {...props} value={workerId ?? ''} onChange={(event) => setWorkerId(event.target.value || null)}>
              <option value="">All workers</option>
              {workers.map((worker) => (
                <option key={worker.id} value={worker.id}>
                  {worker.id}
                </option>
              ))}
            </select>
          )}
        </Field>
        {!following && (
          <button type="button" onClick={() => setFollowing(true)}>
            Follow newest
          </button>
        )}
      </div>
      {feed.isPending && <p className="muted">Loading the feed…</p>}
      {feed.isError && <ErrorNote error={feed.error} />}
      {feed.isSuccess && entries.length === 0 && <p className="muted">Nothing in the feed yet.</p>}
      <ol ref={box} className="fleet-feed-list" aria-label="Feed lines" onScroll={(event) => setFollowing(isAtEnd(event.currentTarget))}>
        {entries.map((entry) => (
          <li key={entry.cursor} className={`feed-line feed-${entry.kind}`}>
            <time dateTime={entry.at}>{formatClock(entry.at, now)}</time>
            <span className="feed-worker">{entry.workerId}</span>
            <span className="feed-kind">{feedKindLabels[entry.kind]}</span>
            <span className="feed-text">{entry.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
