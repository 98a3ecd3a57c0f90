import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

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
