import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import { formErrors, noErrors, type FormErrors } from './errors';
import { useNotify } from './notify';

export type Load<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; error: unknown };

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

/**
 * Runs `loader` on mount, whenever `deps` change and on `reload()`. Earlier
 * requests are aborted so a stale answer never overwrites a newer one; a
 * reload keeps showing the current data until the new answer arrives.
 */
export function useLoad<T>(loader: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[] = []) {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;
  const depsRef = useRef(deps);

  useEffect(() => {
    const keep = sameDeps(depsRef.current, deps);
    depsRef.current = deps;
    const abort = new AbortController();
    setLoad((previous) => (keep && previous.state === 'ok' ? previous : { state: 'loading' }));
    loaderRef.current(abort.signal).then(
      (data) => {
        if (!abort.signal.aborted) setLoad({ state: 'ok', data });
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setLoad({ state: 'error', error });
      },
    );
    return () => abort.abort();
  }, [generation, ...deps]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { load, reload };
}

/** What a form's `send` returns instead of a request when its input is wrong. */
export class Invalid {
  constructor(readonly errors: FormErrors) {}
}

export interface FormSubmitOptions<T> {
  /** The inputs the form shows: a server error about one of them goes next to it, any other above the form. */
  fields: readonly string[];
  /**
   * Starts the request; or returns `Invalid` to show those errors without
   * sending, or undefined when there is nothing to send.
   */
  send: () => Promise<T> | Invalid | undefined;
  /** The notice shown after a success. */
  notice?: (result: T) => string;
  /** Runs after a success, once the notice is given (so a page it navigates to keeps it). */
  onDone?: (result: T) => void;
  /** A success leaves the form (navigates away or starts it over), so it stays busy until then. */
  leaves?: boolean;
}

/**
 * A form's submit handler with its state: `busy` while the request runs (the
 * submit button is disabled then), `errors` from the last attempt, placed next
 * to their inputs where the form shows them.
 */
export function useFormSubmit<T>({ fields, send, onDone, notice, leaves = false }: FormSubmitOptions<T>) {
  const { t } = useI18n();
  const notify = useNotify();
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const request = send();
    if (request === undefined) return;
    if (request instanceof Invalid) {
      setErrors(request.errors);
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      const result = await request;
      if (notice) notify(notice(result));
      onDone?.(result);
      if (!leaves) setBusy(false);
    } catch (err) {
      setErrors(formErrors(t, err, fields));
      setBusy(false);
    }
  };

  return { submit, busy, errors };
}
