import { useEffect, useState } from 'react';
import { formatElapsed } from '../format';

/** The clock only needs to change once a second. */
const CLOCK_TICK_MS = 1_000;

/** Time from start to end, or to now (ticking) while the worker has not ended. */
export function Elapsed({ startedAt, endedAt }: { startedAt: string | null; endedAt: string | null }) {
  const running = startedAt !== null && endedAt === null;
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => window.clearInterval(timer);
  }, [running]);

  if (startedAt === null) return <>not started</>;
  const until = endedAt === null ? now : Date.parse(endedAt);
  return <time dateTime={startedAt}>{formatElapsed(until - Date.parse(startedAt))}</time>;
}
