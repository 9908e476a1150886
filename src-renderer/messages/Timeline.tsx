// The thread's chat timeline across runs: opens at the latest message, loads
// older pages (beforeSeq) and newer pages (afterSeq) as the viewer scrolls,
// jumps to the start, the end or a seq, and refreshes in place on changes.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isRunning } from '../../src-shared/run-status.ts';
import type { RunEvent, RunSummary, ThreadSummary } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { formatCount, plural } from '../common/format.ts';
import { useNow, useSerial, useStoreChanged } from '../common/hooks.ts';
import { NewPill } from '../live/NewPill.tsx';
import { SeqForm } from '../common/SeqForm.tsx';
import { Empty, ErrorNote, Loading } from '../common/States.tsx';
import type { MessageWindow } from './message-window.ts';
import { aroundWindow, emptyWindow, latestWindow, MAX_LOADED, PAGE_SIZE, rewrittenUnder, startWindow, withNewer, withOlder } from './message-window.ts';
import type { RowUi, UnloadedResults } from './MessageRow.tsx';
import { MessageRow } from './MessageRow.tsx';
import type { RunActions } from './RunBoundary.tsx';
import { RunBoundary } from './RunBoundary.tsx';
import { SeqNote, type SeqNoteValue } from './SeqNote.tsx';
import { OverviewStrip, useThreadOverview } from './OverviewStrip.tsx';
import { VisibleWindow } from './overview-strip.ts';
import { findToolResult } from './tool-results.ts';
import { useRunErrors } from './use-run-errors.ts';
import type { TimelineRow, Visibility } from './timeline-rows.ts';
import { buildRows, concealedCounts, pairTools, revealing } from './timeline-rows.ts';
import type { InitialPosition } from './TimelineViewport.tsx';
import { TimelineViewport } from './TimelineViewport.tsx';

interface TimelineProps {
  thread: ThreadSummary;
  runs: ReadonlyMap<string, RunSummary>;
  detailSeq: number | null;
  readOnly: boolean;
  onTrace: (runId: string) => void;
  /** Opens an event that is not a message in its run's trace. */
  onTraceEvent: (event: RunEvent) => void;
  onDetail: (seq: number) => void;
  onExportRun: (runId: string) => void;
  onDeleteRun: (run: RunSummary) => void;
  /** Which concealed messages are shown: the toggles live in the URL (selection.ts). */
  visibility: Visibility;
  onVisibilityChange: (visibility: Visibility) => void;
}

/** What one change may append: a busy writer's quarter of a second, so the view stays at the end rather than a page short of it. */
const APPEND_LIMIT = PAGE_SIZE * 5;

type Status = { state: 'loading' } | { state: 'ready' } | { state: 'error'; error: string };

const TOGGLES: { key: keyof Visibility; label: string; hint: string }[] = [
  { key: 'hidden', label: 'Hidden', hint: 'Messages marked hide_from_ui' },
  { key: 'middleware', label: 'Middleware', hint: 'Messages whose caller is a middleware' },
  { key: 'subagent', label: 'Subagent', hint: 'Messages whose caller is a subagent' },
];

export function Timeline({ thread, runs, detailSeq, readOnly, onTrace, onTraceEvent, onDetail, onExportRun, onDeleteRun, visibility, onVisibilityChange }: TimelineProps) {
  const threadId = thread.thread_id;
  const [win, setWin] = useState<MessageWindow>(emptyWindow);
  const [status, setStatus] = useState<Status>({ state: 'loading' });
  const [loading, setLoading] = useState<'older' | 'newer' | null>(null);
  const [pageError, setPageError] = useState<string | null>(null);
  const [rowUi, setRowUi] = useState<ReadonlyMap<number, RowUi>>(new Map());
  const [highlight, setHighlight] = useState<number | null>(null);
  const [position, setPosition] = useState<{ initial: InitialPosition; generation: number }>({ initial: { to: 'end' }, generation: 0 });
  const [seqNote, setSeqNote] = useState<SeqNoteValue | null>(null);
  const [missingResults, setMissingResults] = useState<ReadonlySet<string>>(new Set());
  /** Whether the view is away from the end of the thread: new messages wait on the pill rather than being followed. */
  const [away, setAway] = useState(false);
  const atEnd = useRef(true);
  /**
   * The newest message of the thread the viewer has had before them: the thread's end when the window
   * loaded (wherever it opened), then its last row each time the view is at the end. The pill counts
   * only what is past it.
   */
  const [seenUpTo, setSeenUpTo] = useState(0);
  const seenRef = useRef(seenUpTo);
  seenRef.current = seenUpTo;
  /** Seqs of messages past seenUpTo read by cursor while the window stops short of the end. */
  const [arrived, setArrived] = useState<readonly number[]>([]);

  const generation = useRef(0);
  const busy = useRef(false);
  const winRef = useRef(win);
  winRef.current = win;
  const scrollToKeyRef = useRef<((key: number) => boolean) | null>(null);
  const seekRef = useRef<((seq: number) => boolean) | null>(null);
  const togglesRef = useRef({ visibility, onVisibilityChange });
  togglesRef.current = { visibility, onVisibilityChange };
  const [visibleWindow] = useState(() => new VisibleWindow());

  const rows = useMemo(() => buildRows(win, visibility, runs.values()), [win, visibility, runs]);
  const windowRunIds = useMemo(() => rows.flatMap((row) => (row.kind === 'run' ? [row.runId] : [])), [rows]);
  const runErrors = useRunErrors(threadId, runs, windowRunIds);
  const runActions = useMemo<RunActions>(
    () => ({ readOnly, onTrace, onDetail, onExport: onExportRun, onDelete: onDeleteRun }),
    [readOnly, onTrace, onDetail, onExportRun, onDeleteRun],
  );
  const pairs = useMemo(() => pairTools(win.events), [win.events]);
  const concealed = useMemo(() => concealedCounts(win.events), [win.events]);

  /** Replaces the window with the page(s) at a position and remounts the viewport there. */
  const jump = useCallback(
    /** `mark`: a seq jumped to is highlighted (not when the window is only read again where it was). */
    async (target: InitialPosition, mark = true) => {
      const gen = ++generation.current;
      busy.current = true;
      setPageError(null);
      try {
        let next: MessageWindow;
        // Opened away from the end, the thread's newest message is asked for too: what is written after it is new.
        const newest = target.to === 'end' ? null : api.listMessages({ threadId, limit: 1 });
        if (target.to === 'end') next = latestWindow(await api.listMessages({ threadId, limit: PAGE_SIZE }));
        else if (target.to === 'start') next = startWindow(await api.listMessages({ threadId, afterSeq: 0, limit: PAGE_SIZE }));
        else {
          const half = PAGE_SIZE / 2;
          const [before, from] = await Promise.all([
            api.listMessages({ threadId, beforeSeq: target.seq, limit: half }),
            api.listMessages({ threadId, afterSeq: target.seq - 1, limit: half }),
          ]);
          next = aroundWindow(before, from, half);
        }
        const newestSeq = (newest ? (await newest)[0] : next.events[next.events.length - 1])?.seq ?? 0;
        if (gen !== generation.current) return;
        setWin(next);
        setSeenUpTo(newestSeq);
        setArrived([]);
        atEnd.current = target.to === 'end';
        setAway(target.to !== 'end');
        setLoading(null);
        setStatus({ state: 'ready' });
        setPosition((p) => ({ initial: target, generation: p.generation + 1 }));
        if (target.to === 'seq' && mark) setHighlight(nearestMessage(next.events, target.seq)?.seq ?? null);
      } catch (error) {
        if (gen === generation.current) setStatus({ state: 'error', error: errorMessage(error) });
      } finally {
        if (gen === generation.current) busy.current = false;
      }
    },
    [threadId],
  );

  // Before the jump's effect: the strip's counts from an index are asked for first (useThreadOverview).
  const overview = useThreadOverview(threadId);
  useEffect(() => {
    void jump({ to: 'end' });
  }, [jump]);

  const loadPage = useCallback(
    async (direction: 'older' | 'newer') => {
      const current = winRef.current;
      const edge = direction === 'older' ? current.events[0] : current.events[current.events.length - 1];
      if (busy.current || pageError || !edge) return;
      const gen = generation.current;
      busy.current = true;
      setLoading(direction);
      try {
        const page = await api.listMessages(
          direction === 'older' ? { threadId, beforeSeq: edge.seq, limit: PAGE_SIZE } : { threadId, afterSeq: edge.seq, limit: PAGE_SIZE },
        );
        if (gen !== generation.current) return;
        setWin((w) => {
          const stillEdge = direction === 'older' ? w.events[0]?.seq === edge.seq : w.events[w.events.length - 1]?.seq === edge.seq;
          if (!stillEdge) return w;
          return direction === 'older' ? withOlder(w, page) : withNewer(w, page);
        });
      } catch (error) {
        if (gen === generation.current) setPageError(errorMessage(error));
      } finally {
        if (gen === generation.current) {
          busy.current = false;
          setLoading(null);
        }
      }
    },
    [threadId, pageError],
  );

  const onAtEnd = useCallback((end: boolean) => {
    atEnd.current = end;
    setAway(!end);
  }, []);
  const lastLoaded = win.events[win.events.length - 1]?.seq ?? 0;
  useEffect(() => {
    if (!away && !win.hasNewer) setSeenUpTo(lastLoaded);
  }, [away, win.hasNewer, lastLoaded]);
  const newCount = useMemo(
    () => (away ? new Set([...win.events.filter((event) => event.seq > seenUpTo).map((event) => event.seq), ...arrived]).size : 0),
    [away, win.events, seenUpTo, arrived],
  );
  /**
   * After a change in the store: what was appended past the window's end is
   * read by cursor and added, so a thread being written grows at the bottom
   * without its window read again or its rows measured again. Viewed at the
   * end, the view follows (the viewport stays pinned there); elsewhere the
   * pill counts what came. A window that stops short of the end reads
   * nothing but the count.
   */
  const appendNew = useCallback(async () => {
    const current = winRef.current;
    const last = current.events[current.events.length - 1];
    if (!last) return jump({ to: 'end' });
    const gen = generation.current;
    if (current.hasNewer) {
      const page = await api.listMessages({ threadId, afterSeq: seenRef.current, limit: PAGE_SIZE });
      if (gen === generation.current) setArrived(page.map((event) => event.seq));
      return;
    }
    const page = await api.listMessages({ threadId, afterSeq: last.seq, limit: APPEND_LIMIT });
    if (gen !== generation.current || page.length === 0) return;
    const following = atEnd.current;
    setWin((w) => {
      if (w.events[w.events.length - 1]?.seq !== last.seq) return w;
      // Away from the end, the rows read from are never dropped from the top to make room: the rest waits for a scroll down.
      if (!following && w.events.length + page.length > MAX_LOADED) return { ...w, hasNewer: true };
      return withNewer(w, page, APPEND_LIMIT);
    });
  }, [jump, threadId]);
  const refresh = useSerial(appendNew, (error) => setPageError(errorMessage(error)));

  const scrollToEndRef = useRef<(() => void) | null>(null);
  const showNew = () => {
    if (winRef.current.hasNewer) void jump({ to: 'end' });
    else scrollToEndRef.current?.();
  };

  // Runs another process (or this window) deleted: their messages leave the window as the runs list loses them.
  // A thread rewritten under the window (rewrittenUnder) is read again, where the view was: appends past the
  // window's end would never bring that. So is a window left with nothing.
  const shownRuns = useRef(runs);
  useEffect(() => {
    const before = shownRuns.current;
    shownRuns.current = runs;
    const { events } = winRef.current;
    const gone = new Set([...before.keys()].filter((runId) => !runs.has(runId)));
    const kept = events.filter((event) => !gone.has(event.run_id));
    if (rewrittenUnder(winRef.current, before, runs) || (kept.length === 0 && events.length > 0)) {
      const shown = visibleWindow.get();
      void jump(atEnd.current || !shown ? { to: 'end' } : { to: 'seq', seq: shown.first }, false);
    } else if (kept.length < events.length) setWin((w) => ({ ...w, events: w.events.filter((event) => !gone.has(event.run_id)) }));
  }, [runs, jump, visibleWindow]);

  useStoreChanged(() => void refresh(), threadId);

  /**
   * A loaded message is scrolled to; any other seq is looked up: a message is
   * loaded (a concealed one with a toggle turned on that shows it, else its
   * place would show nothing), a trace event's nearest message shown with a note.
   */
  const goToSeq = useCallback(
    async (seq: number) => {
      setSeqNote(null);
      setHighlight(seq);
      if (scrollToKeyRef.current?.(seq)) return;
      try {
        const event = await api.getEvent({ threadId, seq });
        if (!event) {
          setHighlight(null);
          setSeqNote({ kind: 'missing', seq });
          return;
        }
        if (event.category !== 'message') setSeqNote({ kind: 'trace', event });
        else {
          const { visibility: current, onVisibilityChange: change } = togglesRef.current;
          const revealed = revealing(event, current);
          if (revealed) change(revealed);
        }
        await jump({ to: 'seq', seq });
      } catch (error) {
        setSeqNote({ kind: 'error', message: `Could not look up seq ${seq}: ${errorMessage(error)}` });
      }
    },
    [jump, threadId],
  );

  // An event selected from outside the timeline (a deep link, Back, the Trace) is brought into view;
  // one the viewer picked here is already in view.
  const pickedHere = useRef<number | null>(null);
  useEffect(() => {
    if (detailSeq !== null && detailSeq !== pickedHere.current) void goToSeq(detailSeq);
    pickedHere.current = detailSeq;
  }, [detailSeq, goToSeq]);
  const onDetailHere = useCallback(
    (seq: number) => {
      pickedHere.current = seq;
      onDetail(seq);
    },
    [onDetail],
  );

  const onFindResult = useCallback(
    async (call: RunEvent, callId: string) => {
      try {
        const result = await findToolResult(threadId, call, callId);
        if (result) void goToSeq(result.seq);
        else setMissingResults((missing) => new Set(missing).add(callId));
      } catch (error) {
        setSeqNote({ kind: 'error', message: `Could not look for the result of ${callId}: ${errorMessage(error)}` });
      }
    },
    [goToSeq, threadId],
  );
  const unloaded = useMemo<UnloadedResults>(
    () => ({ allLoaded: !win.hasNewer, missing: missingResults, find: (call, callId) => void onFindResult(call, callId) }),
    [win.hasNewer, missingResults, onFindResult],
  );

  const onJump = useCallback((seq: number) => void goToSeq(seq), [goToSeq]);

  /**
   * The overview strip's seek: to a region, not to one event, so no note and
   * no toggle. Within the loaded window the view scrolls; elsewhere the
   * messages around the seq are loaded as Go to seq loads them. Either way
   * the first message at or after it lands at the top.
   */
  const seekRegion = useCallback(
    async (seq: number) => {
      setSeqNote(null);
      const { events, hasOlder, hasNewer } = winRef.current;
      const loaded = events.length > 0 && (!hasOlder || events[0].seq <= seq) && (!hasNewer || seq <= events[events.length - 1].seq);
      if (loaded && seekRef.current?.(seq)) return;
      await jump({ to: 'seq', seq });
    },
    [jump],
  );

  const onUi = useCallback((seq: number, patch: RowUi) => {
    setRowUi((current) => new Map(current).set(seq, { ...current.get(seq), ...patch }));
  }, []);

  const now = useNow();
  const runRunning = (runId: string) => {
    const run = runs.get(runId);
    return run !== undefined && isRunning(run, now);
  };

  const renderRow = (row: TimelineRow) =>
    row.kind === 'run' ? (
      <RunBoundary runId={row.runId} run={runs.get(row.runId)} hasMessages={row.hasMessages} errorEvent={runErrors.get(row.runId)} now={now} actions={runActions} />
    ) : (
      <MessageRow
        event={row.event}
        view={row.view}
        pairs={pairs}
        unloaded={unloaded}
        runRunning={runRunning(row.event.run_id)}
        ui={rowUi.get(row.key) ?? noUi}
        selected={row.key === detailSeq}
        highlighted={row.key === highlight}
        onUi={onUi}
        onJump={onJump}
        onDetail={onDetailHere}
      />
    );

  const first = win.events[0]?.seq;
  const last = win.events[win.events.length - 1]?.seq;

  return (
    <section className="timeline" aria-label="Messages timeline">
      <div className="toolbar" role="toolbar" aria-label="Timeline controls">
        <button type="button" aria-label="Jump to start" title="The first messages of the thread" onClick={() => void jump({ to: 'start' })}>
          ⤒ Start
        </button>
        <button type="button" aria-label="Jump to latest" title="The latest messages" onClick={() => void jump({ to: 'end' })}>
          ⤓ Latest
        </button>
        <SeqForm onGo={(seq) => void goToSeq(seq)} />
        <span className="toolbar-gap" />
        <fieldset className="toggles">
          <legend className="visually-hidden">Show messages</legend>
          {TOGGLES.map(({ key, label, hint }) => (
            <label key={key} className="toggle" title={hint}>
              <input type="checkbox" checked={visibility[key]} onChange={(e) => onVisibilityChange({ ...visibility, [key]: e.target.checked })} />
              {label} <span className="count-badge">{concealed[key]}</span>
            </label>
          ))}
        </fieldset>
      </div>

      <OverviewStrip threadId={threadId} load={overview} runs={runs} visible={visibleWindow} onSeek={seekRegion} />

      <div className="timeline-status muted small" aria-live="polite">
        {first !== undefined && last !== undefined
          ? `Loaded seq ${first}–${last} · ${formatCount(win.events.length)} of ${plural(thread.message_count, 'message')}`
          : ''}
        {loading && <span className="loading-inline"> · loading {loading} messages…</span>}
      </div>

      {pageError && (
        <div className="inline-error" role="alert">
          Could not load more messages: {pageError}{' '}
          <button type="button" onClick={() => setPageError(null)}>
            Retry
          </button>
        </div>
      )}

      <div className="timeline-body">
        {seqNote && <SeqNote note={seqNote} onTraceEvent={onTraceEvent} onDismiss={() => setSeqNote(null)} />}
        {status.state === 'loading' && <Loading label="Loading messages…" />}
        {status.state === 'error' && <ErrorNote title="Could not load the messages" message={status.error} onRetry={() => void jump({ to: 'end' })} />}
        {status.state === 'ready' && rows.length === 0 && !win.hasOlder && <NoMessages thread={thread} />}
        {status.state === 'ready' && (rows.length > 0 || win.hasOlder) && (
          <TimelineViewport
            key={position.generation}
            rows={rows}
            initial={position.initial}
            hasOlder={win.hasOlder}
            hasNewer={win.hasNewer}
            onNearTop={() => void loadPage('older')}
            onNearBottom={() => void loadPage('newer')}
            renderRow={renderRow}
            scrollToKeyRef={scrollToKeyRef}
            seekRef={seekRef}
            scrollToEndRef={scrollToEndRef}
            onAtEnd={onAtEnd}
            onVisibleRange={visibleWindow.set}
            dataState={{
              'data-state': loading ? 'loading' : 'ready',
              'data-first-seq': first ?? 0,
              'data-last-seq': last ?? 0,
              'data-loaded': win.events.length,
              'data-has-older': String(win.hasOlder),
              'data-has-newer': String(win.hasNewer),
            }}
          />
        )}
        {newCount > 0 && <NewPill count={newCount} noun="message" onClick={showNew} />}
      </div>
    </section>
  );
}

const noUi: RowUi = {};

/** A thread with nothing to show says why it is there at all. */
function NoMessages({ thread }: { thread: ThreadSummary }) {
  if (thread.event_count === 0) {
    return (
      <Empty title="No events in this thread">
        It is listed from the database's thread list (threads_meta) without any events: a chat opened and never used, or one whose events were deleted.
      </Empty>
    );
  }
  return <Empty title="No messages in this thread">Its runs recorded only trace events — open the Runs tab to see them.</Empty>;
}

/** The message at a seq, else the next one, else the last before it. */
function nearestMessage(events: readonly RunEvent[], seq: number): RunEvent | undefined {
  return events.find((e) => e.seq >= seq) ?? events[events.length - 1];
}
