import { useEffect, useState } from 'preact/hooks';

/** The current time in milliseconds, refreshed every `everyMs` (for countdowns and "5 min ago"). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
