import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** Shows a short confirmation ("Saved.") in the layout's status line. */
export type Notify = (message: string) => void;

export const NotifyContext = createContext<Notify>(() => undefined);

export const useNotify = () => useContext(NotifyContext);
