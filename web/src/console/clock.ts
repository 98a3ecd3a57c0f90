// The server's time as this browser sees it: deadlines (alert expiry, code
// lifetime) come from the server's clock, which may differ from this one.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { useNow } from '../shared/useNow';

/** The server's clock minus this one's, in ms. */
export const ClockOffset = createContext(0);

/** The server's "now" in ms, refreshed every `everyMs`. */
export function useServerNow(everyMs = 1000): number {
  return useNow(everyMs) + useContext(ClockOffset);
}
