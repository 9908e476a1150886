// Small hooks every screen uses: loading with stale-response protection, and
// push subscriptions that refresh views after main reports a change.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { PushChannel, PushListener, StoreChanged } from '../../src-shared/contract.ts';
import { api } from '../api.ts';
import { liveFollow } from '../live/live-gate.ts';
import { errorMessage } from './error-message.ts';

/** A value being fetched. A reload keeps the previous value visible until the new one lands. */
export type Load<T> =
  | { state: 'loading'; value?: T }
  | { state: 'ready'; value: T }
  | { state: 'error'; error: string; value?: T };

const loading = { state: 'loading' } as const;

/**
 * Runs `fetcher` whenever `key` changes or `reload()` is called. Answers to
 * superseded requests are dropped, so a slow old response never overwrites a
 * newer one; a value fetched for another key is never shown, not even for
 * the one render before the new request starts.
 */
export function useLoad<T>(fetcher: () => Promise<T>, key: string): [Load<T>, () => void, (update: (value: T) => T) => void] {
  const [entry, setEntry] = useState<{ key: string; load: Load<T> }>({ key, load: loading });
  const [tick, setTick] = useState(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  useEffect(() => {
    let current = true;
    const kept = (previous: { key: string; load: Load<T> }) => (previous.key === key ? previous.load.value : undefined);
    setEntry((previous) => ({ key, load: { state: 'loading', value: kept(previous) } }));
    fetcherRef.current().then(
      (value) => current && setEntry({ key, load: { state: 'ready', value } }),
      (error: unknown) => current && setEntry((previous) => ({ key, load: { state: 'error', error: errorMessage(error), value: kept(previous) } })),
    );
    return () => {
      current = false;
    };
  }, [key, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  /** Applies a known change at once (after a delete), before the reload confirms it. */
  const patch = useCallback(
    (update: (value: T) => T) =>
      setEntry((previous) => (previous.load.value === undefined ? previous : { ...previous, load: { ...previous.load, value: update(previous.load.value) } as Load<T> })),
    [],
  );
  return [entry.key === key ? entry.load : loading, reload, patch];
}

export function usePush<C extends PushChannel>(channel: C, listener: PushListener<C>): void {
  const listenerRef = useRef(listener);
  listenerRef.current = listener;
  useEffect(() => api.onPush(channel, (message) => listenerRef.current(message)), [channel]);
}

/**
 * Tells every view about a change this window made itself (a delete), at
 * once: views must not wait for the push to come back over the transport,
 * and a paused Live toggle does not hold it back. `echoed: false` for a
 * change main does not push back (the top bar's Reload).
 */
export function announceChange(change: StoreChanged, options?: { echoed?: boolean }): void {
  liveFollow.local(change, options);
}

/**
 * Calls `onChange` when the store changed for `threadId` (or at all, when
 * threadId is omitted): the page's own changes at once, other processes' as
 * the Live toggle lets them through (merged, a few times a second at most).
 */
export function useStoreChanged(onChange: (change: StoreChanged) => void, threadId?: string): void {
  const handlerRef = useRef(onChange);
  handlerRef.current = onChange;
  useEffect(
    () =>
      liveFollow.listen((change) => {
        if (threadId === undefined || change.threadIds === null || change.threadIds.includes(threadId)) handlerRef.current(change);
      }),
    [threadId],
  );
}

/**
 * `task` run now, or once more after the run in progress when asked during
 * one: refreshes never overlap (two answers cannot land out of order), and a
 * burst of asks costs two runs at most.
 */
export function useSerial(task: () => Promise<void>, onError: (error: unknown) => void): () => void {
  const latest = useRef({ task, onError });
  latest.current = { task, onError };
  const state = useRef({ running: false, again: false });
  return useCallback(() => {
    const run = () => {
      state.current = { running: true, again: false };
      latest.current.task().then(finish, (error: unknown) => {
        latest.current.onError(error);
        finish();
      });
    };
    const finish = () => {
      const { again } = state.current;
      state.current = { running: false, again: false };
      if (again) run();
    };
    if (state.current.running) state.current.again = true;
    else run();
  }, []);
}

/** The current time, refreshed each minute, for "5 min ago" labels. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** The element's width in CSS pixels, kept up to date as it resizes (0 until it is mounted). */
export function useWidth(ref: { current: HTMLElement | null }): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
