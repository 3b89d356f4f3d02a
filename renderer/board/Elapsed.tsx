import { useNow } from '../clock';
import { formatElapsed } from '../format';

/** Time from start to end, or to now (ticking) while the worker has not ended. */
export function Elapsed({ startedAt, endedAt }: { startedAt: string | null; endedAt: string | null }) {
  const now = useNow(startedAt !== null && endedAt === null);
  if (startedAt === null) return <>not started</>;
  const until = endedAt === null ? now : Date.parse(endedAt);
  return <time dateTime={startedAt}>{formatElapsed(until - Date.parse(startedAt))}</time>;
}
