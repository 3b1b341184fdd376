import { useEffect, useRef, useState } from 'react';
import { type ApiError, asApiError, isKeyRejected } from '../lib/api.js';

/** How often a live read (a range that includes now, realtime) is refreshed; also the retry pace after a failure. */
export const refreshIntervalMs = 5_000;

export interface ReadState<T> {
  /** The last good answer: it stays on screen while a newer one loads, and under a failure. */
  value?: T;
  /** When `value` was read. */
  updatedAt?: number;
  /** A read is on its way. */
  loading: boolean;
  /** The last read failed; cleared by the next good one. */
  error?: ApiError;
  /** Asks again at once (a Try again button). */
  retry: () => void;
}

export interface ReadOptions<I, T> {
  /** Read again every few seconds after a good answer (always, or when the answer says so); a hidden tab skips these reads. */
  live?: boolean | ((value: T) => boolean);
  /**
   * After a failure that may pass (API down, throttled; not a 400): `timer` reads again every few
   * seconds; `reload` waits for new inputs (a panel's: the view's own refresh) or `retry`.
   */
  retryFailures: 'timer' | 'reload';
  /** The part of the inputs whose change drops the earlier answer at once (it would be wrong under a new heading); other changes keep it until the new one arrives. */
  resetWhen?: (inputs: I) => string;
}

/**
 * The dashboard's one way to read the API. It reads whenever `inputs` change (compared by value:
 * they travel as JSON, so the read sees exactly what started it), aborts a read that a newer one
 * replaces and drops its answer, hands a refused key to `onKeyRejected` (only signing in again can
 * fix it), and retries and refreshes as `options` say. Every panel, the figures, the site's zone
 * and realtime read through it.
 */
export function useRead<I, T>(
  inputs: I | undefined,
  read: (inputs: I, signal: AbortSignal) => Promise<T>,
  onKeyRejected: (error: ApiError) => void,
  options: ReadOptions<I, T>,
): ReadState<T> {
  // Undefined inputs: nothing to read now (the realtime view reads no range).
  const inputsKey = inputs === undefined ? undefined : JSON.stringify(inputs);
  const [state, setState] = useState<Omit<ReadState<T>, 'retry'>>({ loading: true });
  // The latest callbacks and options, so that a render does not start a read unless the inputs changed.
  const latest = useRef({ read, onKeyRejected, options });
  latest.current = { read, onKeyRejected, options };
  const shownReset = useRef<string | undefined>(undefined);
  const retryRef = useRef(() => {});

  useEffect(() => {
    if (inputsKey === undefined) return;
    const asked = JSON.parse(inputsKey) as I;
    const { live, retryFailures, resetWhen } = latest.current.options;
    let controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scheduleNext = () => {
      // A hidden tab skips a live view's reads (no one is looking) but keeps the schedule.
      timer = setTimeout(() => (live && document.hidden ? scheduleNext() : void load()), refreshIntervalMs);
    };

    async function load() {
      // A retry replaces the read on its way and the next scheduled one.
      clearTimeout(timer);
      controller.abort();
      controller = new AbortController();
      const { signal } = controller;
      setState((s) => ({ ...s, loading: true }));
      try {
        const value = await latest.current.read(asked, signal);
        if (signal.aborted) return;
        setState({ value, updatedAt: Date.now(), loading: false });
        if (typeof live === 'function' ? live(value) : live) scheduleNext();
      } catch (caught) {
        if (signal.aborted) return;
        const error = asApiError(caught);
        if (isKeyRejected(error)) return latest.current.onKeyRejected(error);
        setState((s) => ({ ...s, loading: false, error }));
        if (retryFailures === 'timer' && error.kind !== 'bad-request') scheduleNext();
      }
    }

    const reset = resetWhen?.(asked);
    if (shownReset.current !== reset) {
      shownReset.current = reset;
      setState({ loading: true });
    }
    retryRef.current = () => void load();
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
      retryRef.current = () => {};
    };
  }, [inputsKey]);

  return { ...state, retry: () => retryRef.current() };
}
