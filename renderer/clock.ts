import { useEffect, useState } from 'react';

/** Clocks on screen show seconds at most, so they only need to change once a second. */
const CLOCK_TICK_MS = 1_000;
/** The ready-accounts count changes when a cooldown ends; a slow clock is enough for a count. */
export const READY_COUNT_TICK_MS = 5_000;

/** The current time, re-read every `tickMs` while `running`; a stopped clock keeps its last reading. */
export function useNow(running: boolean, tickMs = CLOCK_TICK_MS): number {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!running) return;
    // A clock that starts (or changes pace) reads the time at once, so nothing shows an old reading for a tick.
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), tickMs);
    return () => window.clearInterval(timer);
  }, [running, tickMs]);

  return now;
}
