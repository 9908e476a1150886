// The data behind a run's trace: the run's event counts, the category of each
// event type, and the filtered events paged forward by afterSeq, as far as
// the event to show (`target`) when it lies beyond them. Refreshes in place
// when the store reports a change to the thread.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { SUBAGENT_START_TYPE } from '../../src-shared/span-lanes.ts';
import type { EventCounts, RunEvent } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import type { Load } from '../common/hooks.ts';
import { useLoad, useSerial, useStoreChanged } from '../common/hooks.ts';
import type { TraceFilter } from './trace-filter.ts';
import { queryTypes, unmappedTypes } from './trace-filter.ts';
import type { JumpState, SeqRange } from './trace-jump.ts';
import { jumpState, reachLimit } from './trace-jump.ts';
import { matchingCount } from './trace-status.ts';
import { taskDescriptions } from './task-labels.ts';

const PAGE = 500;
/** Reaching a far event: bigger pages, still bounded. */
const REACH_PAGE = 5_000;
const TASKS_MAX = 5_000;

export type ListState = { state: 'loading' } | { state: 'ready' } | { state: 'error'; error: string };

export interface TraceEvents {
  counts: Load<EventCounts>;
  /** event_type → category, learned from the events seen and probed where a category filter needs it. */
  typeCategory: ReadonlyMap<string, string>;
  events: RunEvent[];
  hasMore: boolean;
  list: ListState;
  /** Fetches the next page, unless one is on its way or there is none. */
  loadMore: () => void;
  retry: () => void;
  /** Where `target` is: loaded (at which index), being reached, or not in this run as filtered. */
  jump: JumpState;
  /** Events of the run matching the filters, and all of them, where the counts say. */
  matching: number | null;
  total: number | null;
  /** task id → the task's description. */
  taskLabels: ReadonlyMap<string, string>;
  /** How many events changes in the store have appended since the list was read (the trace's "N new" pill counts them). */
  arrivals: number;
}

export function useTraceEvents(threadId: string, runId: string, filter: TraceFilter, target: number | null, run?: SeqRange): TraceEvents {
  const [counts, reloadCounts] = useLoad(() => api.eventCounts({ threadId, runId }), `${threadId}\n${runId}`);
  const [taskStarts, reloadTaskStarts] = useLoad(() => api.listEvents({ threadId, runId, eventTypes: [SUBAGENT_START_TYPE], limit: TASKS_MAX }), `${threadId}\n${runId}`);
  const taskLabels = useMemo(() => taskDescriptions(taskStarts.value ?? []), [taskStarts.value]);
  const [typeCategory, setTypeCategory] = useState<ReadonlyMap<string, string>>(new Map());
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [list, setList] = useState<ListState>({ state: 'loading' });
  const [reloadTick, setReloadTick] = useState(0);
  const generation = useRef(0);
  const busy = useRef(false);

  const allTypes = useMemo(() => Object.keys(counts.value?.by_event_type ?? {}), [counts.value]);
  const learn = useCallback((batch: RunEvent[]) => {
    setTypeCategory((known) => {
      const fresh = batch.filter((e) => known.get(e.event_type) !== e.category);
      if (fresh.length === 0) return known;
      const next = new Map(known);
      for (const e of fresh) next.set(e.event_type, e.category);
      return next;
    });
  }, []);

  // A category filter needs the category of every type; probe the ones no loaded event showed yet.
  const missing = filter.categories.length > 0 ? unmappedTypes(allTypes, typeCategory) : [];
  const probing = missing.length > 0;
  useEffect(() => {
    if (!probing) return;
    let current = true;
    Promise.all(missing.map((type) => api.listEvents({ threadId, runId, eventTypes: [type], limit: 1 }))).then(
      (found) => {
        if (!current) return;
        learn(found.flat());
        // a type with no event left (deleted meanwhile) maps to nothing
        setTypeCategory((known) => new Map([...missing.map((t): [string, string] => [t, '']), ...known]));
      },
      (error: unknown) => current && setList({ state: 'error', error: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [probing, missing.join('\n'), threadId, runId, learn]);

  const types = probing ? undefined : queryTypes(filter, typeCategory, allTypes);
  const queryKey = `${threadId}\n${runId}\n${probing}\n${JSON.stringify(types)}\n${filter.taskId}\n${reloadTick}`;

  const fetchPage = useCallback(
    (afterSeq: number, limit = PAGE) =>
      api.listEvents({
        threadId,
        runId,
        afterSeq,
        limit,
        ...(Array.isArray(types) ? { eventTypes: types } : {}),
        ...(filter.taskId ? { taskId: filter.taskId } : {}),
      }),
    // queryKey names everything the request depends on
    [queryKey],
  );

  useEffect(() => {
    const gen = ++generation.current;
    setList({ state: 'loading' });
    if (probing) return;
    if (types === 'none') {
      setEvents([]);
      setHasMore(false);
      setList({ state: 'ready' });
      return;
    }
    busy.current = true;
    fetchPage(0).then(
      (page) => {
        if (gen !== generation.current) return;
        learn(page);
        setEvents(page);
        setHasMore(page.length >= PAGE);
        setList({ state: 'ready' });
        busy.current = false;
      },
      (error: unknown) => {
        if (gen !== generation.current) return;
        setList({ state: 'error', error: errorMessage(error) });
        busy.current = false;
      },
    );
  }, [fetchPage]);

  const loadMore = (limit = PAGE) => {
    const last = events[events.length - 1];
    if (!hasMore || busy.current || !last || list.state !== 'ready') return;
    const gen = generation.current;
    busy.current = true;
    fetchPage(last.seq, limit).then(
      (page) => {
        if (gen !== generation.current) return;
        learn(page);
        setEvents((current) => [...current, ...page.filter((e) => e.seq > last.seq)]);
        setHasMore(page.length >= limit);
        busy.current = false;
      },
      (error: unknown) => {
        if (gen !== generation.current) return;
        setList({ state: 'error', error: errorMessage(error) });
        busy.current = false;
      },
    );
  };

  const retry = useCallback(() => setReloadTick((n) => n + 1), []);

  /**
   * After a change in the store: the events past the last one loaded are read
   * by cursor and added, so a running run's trace grows without being read
   * again from its start; a list not loaded to its end reads nothing (its
   * next page brings them).
   */
  const latest = useRef({ events, hasMore, list, fetchPage });
  latest.current = { events, hasMore, list, fetchPage };
  const appendNew = async () => {
    const { events: loaded, hasMore: more, list: shown, fetchPage: fetch } = latest.current;
    const last = loaded[loaded.length - 1];
    if (shown.state !== 'ready' || more) return;
    if (!last) return retry();
    const gen = generation.current;
    const page = (await fetch(last.seq, PAGE)).filter((e) => e.seq > last.seq);
    if (gen !== generation.current || page.length === 0) return;
    learn(page);
    setEvents((current) => (current[current.length - 1]?.seq === last.seq ? [...current, ...page] : current));
    setHasMore(page.length >= PAGE);
    setArrivals((n) => n + page.length);
  };
  const [arrivals, setArrivals] = useState(0);
  const refreshEvents = useSerial(appendNew, (error) => setList({ state: 'error', error: errorMessage(error) }));
  useStoreChanged(() => {
    reloadCounts();
    reloadTaskStarts();
    refreshEvents();
  }, threadId);

  const jump = jumpState(target, events, hasMore, run);
  // Each page that lands renders again and asks for the next, until the target is loaded or passed.
  useEffect(() => {
    if (jump.state === 'reaching' && target !== null && list.state === 'ready') loadMore(reachLimit(target, events[events.length - 1].seq, PAGE, REACH_PAGE));
  });

  const matching = counts.value ? matchingCount(counts.value, types, filter.taskId) : null;
  const total = counts.value ? matchingCount(counts.value, undefined, null) : null;
  // Appends only ever raise the run's count: a lower one means events were deleted (the run, by another process), so the list is read again.
  // The run's whole count, not the filtered one: narrowing the filter lowers that, and its list is read anyway.
  const countSeen = useRef<number | null>(null);
  useEffect(() => {
    if (counts.state !== 'ready' || total === null) return;
    if (countSeen.current !== null && total < countSeen.current) retry();
    countSeen.current = total;
  }, [counts.state, total, retry]);
  return { counts, typeCategory, events, hasMore, list, loadMore: () => loadMore(), retry, jump, matching, total, taskLabels, arrivals };
}
