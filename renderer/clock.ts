import { useEffect, useState } from 'react';

/** Clocks on screen show seconds at most, so they only need to change once a second. */
const CLOCK_TICK_MS = 1_000;

/** The current time, re-read every `tickMs` while `running`; a stopped clock keeps its last reading. */
export function useNow(running: boolean, tickMs = CLOCK_TICK_MS): number {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), tickMs);
    return () => window.clearInterval(timer);
  }, [running, tickMs]);

  return now;
}
