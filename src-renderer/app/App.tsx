// The window: top bar, threads pane, the open thread, the event detail pane,
// and whichever dialog is open. Owns the thread list and the open thread's
// runs so a delete can update every count at once.
import type { DragEvent } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { switchesToWrite } from '../../src-shared/contract.ts';
import type { HealthFinding } from '../../src-shared/health.ts';
import { describeRemoved } from '../../src-shared/run-records.ts';
import type { RunSummary, SourceInfo, ThreadSummary } from '../../src-shared/types.ts';
import { api, pageMode, pageStepsOnMouseHistory } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { formatCount } from '../common/format.ts';
import { announceChange, useLoad, usePush, useStoreChanged } from '../common/hooks.ts';
import { whenIdle } from '../common/idle.ts';
import { warmUpMarkdown } from '../common/Markdown.tsx';
import { startedFetch } from '../common/started-fetch.ts';
import { Empty, Loading } from '../common/States.tsx';
import { isTyping } from '../common/typing.ts';
import type { Deleted, DeleteTarget } from '../dialogs/DeleteDialog.tsx';
import { DeleteDialog } from '../dialogs/DeleteDialog.tsx';
import { DropDialog } from '../dialogs/DropDialog.tsx';
import type { ExportScope } from '../dialogs/ExportDialog.tsx';
import { ExportDialog } from '../dialogs/ExportDialog.tsx';
import { ImportDialog } from '../dialogs/ImportDialog.tsx';
import { OpenDialog } from '../dialogs/OpenDialog.tsx';
import { PostgresDialog } from '../dialogs/PostgresDialog.tsx';
import { RepairDialog } from '../dialogs/RepairDialog.tsx';
import { ShortcutsDialog } from '../dialogs/ShortcutsDialog.tsx';
import { SourceIssuesDialog } from '../dialogs/SourceIssuesDialog.tsx';
import { HealthButton } from '../health/HealthButton.tsx';
import { findingSelection } from '../health/health-model.ts';
import { HealthPanel } from '../health/HealthPanel.tsx';
import { useHealth } from '../health/use-health.ts';
import { SearchBar } from '../search/SearchBar.tsx';
import { invalidateTitles } from '../threads/thread-titles.ts';
import { ThreadList } from '../threads/ThreadList.tsx';
import { EventDetail } from '../trace/EventDetail.tsx';
import { ContentMenu } from './ContentMenu.tsx';
import { DROP_NEEDS_DESKTOP, type DroppedChoice, notOpenedNote } from './drop.ts';
import { EmptySource } from './EmptySource.tsx';
import { noSelection, useSelection } from './selection.ts';
import { shownTraceRun, ThreadView, traceSelection } from './ThreadView.tsx';
import { TopBar } from './TopBar.tsx';

const noThreads: ThreadSummary[] = [];

type Modal =
  | { kind: 'delete'; target: DeleteTarget }
  | { kind: 'import'; drop?: DroppedChoice }
  | { kind: 'drop'; drop: DroppedChoice }
  | { kind: 'export'; scope: ExportScope }
  | { kind: 'open' }
  | { kind: 'postgres' }
  | { kind: 'shortcuts' }
  | { kind: 'issues' }
  | { kind: 'health' }
  | { kind: 'repair' }
  | null;

/** `firstThreads`: the thread list the entry asked for before the app's code loaded (main.tsx). */
export function App({ firstThreads }: { firstThreads?: Promise<ThreadSummary[]> }) {
  const [listThreads] = useState(() => startedFetch(firstThreads, () => api.listThreads({})));
  const [threads, reloadThreads, patchThreads] = useLoad(listThreads, 'threads');
  const [source, reloadSource] = useLoad(() => api.sourceInfo({}), 'source');
  const [issues, reloadIssues] = useLoad(() => api.sourceIssues({}), 'issues');
  const [selection, select] = useSelection(pageStepsOnMouseHistory);
  const threadId = selection.threadId;
  const [runs, reloadRuns, patchRuns] = useLoad<RunSummary[]>(() => (threadId ? api.listRuns({ threadId }) : Promise.resolve([])), threadId ?? '');
  const [modal, setModal] = useState<Modal>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const health = useHealth(source.value ? `${source.value.kind}:${source.value.path ?? ''}` : null, modal?.kind === 'health');

  useStoreChanged((change) => {
    invalidateTitles(change.threadIds);
    reloadThreads();
    // A JSONL store re-reads changed files on any change, so its issues may differ after every one.
    reloadIssues();
    if (change.threadIds === null) reloadSource();
    if (threadId && (change.threadIds === null || change.threadIds.includes(threadId))) reloadRuns();
  });

  // The readiness signal tests and benchmarks wait for.
  useEffect(() => {
    if (threads.value) document.body.dataset.ready = 'true';
    else if (threads.state === 'error') document.body.dataset.ready = 'error';
  }, [threads]);

  // Once the threads are listed, before one is opened.
  const listed = threads.value !== undefined;
  useEffect(() => (listed ? whenIdle(warmUpMarkdown) : undefined), [listed]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (modal || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === '/' && !isTyping(event.target)) {
        event.preventDefault();
        filterRef.current?.focus();
      } else if (event.key === '?' && !isTyping(event.target)) {
        event.preventDefault();
        setModal({ kind: 'shortcuts' });
      } else if (event.key === 'Escape' && selection.eventSeq !== null) {
        select({ eventSeq: null });
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [modal, selection.eventSeq, select]);

  const openThread = useCallback(
    (id: string) => select((current) => (current.threadId === id ? {} : { ...noSelection, threadId: id, tab: current.tab === 'runs' ? 'runs' : 'messages' })),
    [select],
  );

  const onDeleted = (target: DeleteTarget, removed: Deleted) => {
    setModal(null);
    if (target.kind === 'thread') {
      // Its threads_meta row gone with it (as DeerFlow deletes), the thread leaves the list; a thread still named there
      // stays listed, empty (DESIGN.md §2); others vanish on the reload.
      const emptied = (t: ThreadSummary): ThreadSummary =>
        t.thread_id === target.threadId ? { ...t, message_count: 0, event_count: 0, run_count: 0, first_created_at: null, last_created_at: null } : t;
      patchThreads((list) => (removed.threadsMeta > 0 ? list.filter((t) => t.thread_id !== target.threadId) : list.map(emptied)));
      select(noSelection);
      setNotice(`Deleted thread ${target.threadId}: ${describeRemoved(removed, formatCount)}.`);
    } else {
      const shrink = (t: ThreadSummary): ThreadSummary =>
        t.thread_id === target.threadId
          ? { ...t, run_count: Math.max(0, t.run_count - 1), event_count: Math.max(0, t.event_count - removed.events), message_count: Math.max(0, t.message_count - removed.messages) }
          : t;
      patchThreads((list) => list.map(shrink));
      patchRuns((list) => list.filter((r) => r.run_id !== target.runId));
      select((current) => (current.runId === target.runId ? { runId: null, eventSeq: null, tab: current.tab === 'trace' ? 'runs' : current.tab } : {}));
      setNotice(`Deleted run ${target.runId}: ${describeRemoved(removed, formatCount)}.`);
    }
    announceChange({ threadIds: [target.threadId] });
  };

  const onOpened = (info: SourceInfo) => {
    setModal(null);
    select(noSelection);
    setNotice(`Opened ${info.path ?? 'a scratch store'}.`);
    announceChange({ threadIds: null });
  };

  const onDrop = (event: DragEvent) => {
    const files = [...event.dataTransfer.files];
    if (files.length === 0) return;
    event.preventDefault();
    if (pageMode.kind !== 'desktop') return setNotice(DROP_NEEDS_DESKTOP);
    const [first, ...rest] = files;
    const note = notOpenedNote(rest.map((file) => file.name));
    pageMode.api.openDropped(first).then(
      (outcome) => {
        if (outcome.kind === 'opened') {
          onOpened(outcome.info);
          if (note) setNotice(`Opened ${outcome.info.path ?? first.name}.${note}`);
        } else {
          setModal({ kind: 'drop', drop: outcome });
          if (note) setNotice(note.trim());
        }
      },
      (error: unknown) => setNotice(errorMessage(error)),
    );
  };

  // Help ▸ Keyboard Shortcuts and File ▸ Open PostgreSQL Database… in the desktop app's menu.
  usePush('app:showShortcuts', () => setModal({ kind: 'shortcuts' }));
  usePush('app:openPostgres', () => setModal({ kind: 'postgres' }));

  const thread = threads.value?.find((t) => t.thread_id === threadId) ?? null;
  // A read-only server's deletes stay offered: their confirmation asks to switch it to read-write first.
  const switchToWrite = switchesToWrite(source.value);
  const readOnly = (source.value?.readOnly ?? false) && !switchToWrite;
  const jumpToFinding = (finding: HealthFinding) => {
    const place = findingSelection(finding);
    if (!place) return;
    setModal(null);
    select(place);
  };
  const openSample = () => void api.openSample({}).then(onOpened, (error: unknown) => setNotice(errorMessage(error)));

  return (
    <div className={`app${selection.eventSeq !== null && thread ? ' with-detail' : ''}`} onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <TopBar
        source={source}
        issues={issues.value}
        onIssues={() => setModal({ kind: 'issues' })}
        onOpen={() => setModal({ kind: 'open' })}
        onImport={() => setModal({ kind: 'import' })}
        onExport={threads.value?.length === 0 ? undefined : () => setModal({ kind: 'export', scope: {} })}
        onReload={() => announceChange({ threadIds: null }, { echoed: false })}
        onShortcuts={() => setModal({ kind: 'shortcuts' })}
        health={<HealthButton health={health} onOpen={() => setModal({ kind: 'health' })} />}
        search={
          <SearchBar
            threads={threads.value ?? noThreads}
            selection={selection}
            traceRunId={thread && selection.tab === 'trace' ? shownTraceRun(selection, runs.value ?? []) : null}
            select={select}
            keysEnabled={modal === null}
          />
        }
      />
      <ThreadList threads={threads} selectedId={threadId} onOpen={openThread} onRetry={reloadThreads} filterRef={filterRef} />
      <main className="main-pane">
        {thread ? (
          <ThreadView
            key={thread.thread_id}
            thread={thread}
            runs={runs}
            selection={selection}
            readOnly={readOnly}
            select={select}
            onReloadRuns={reloadRuns}
            onDeleteThread={(title) => setModal({ kind: 'delete', target: { kind: 'thread', threadId: thread.thread_id, title } })}
            onDeleteRun={(run) => setModal({ kind: 'delete', target: { kind: 'run', threadId: thread.thread_id, runId: run.run_id } })}
            onExport={(scope) => setModal({ kind: 'export', scope })}
          />
        ) : !threads.value ? (
          threads.state === 'error' ? (
            <Empty title="This source could not be read">The threads pane says why and can try again; Open… picks another source.</Empty>
          ) : (
            <Loading label="Reading the source…" />
          )
        ) : threadId ? (
          <Empty title="This thread no longer exists">It may have been deleted. Pick another thread on the left.</Empty>
        ) : threads.value.length === 0 ? (
          <EmptySource source={source.value} onImport={() => setModal({ kind: 'import' })} onOpen={() => setModal({ kind: 'open' })} onOpenSample={openSample} />
        ) : (
          <Empty title="Pick a thread">
            <p>
              Choose a thread on the left — <kbd>/</kbd> filters, <kbd>↑</kbd> <kbd>↓</kbd> or <kbd>j</kbd> <kbd>k</kbd> move, <kbd>Enter</kbd> opens.
            </p>
            <p>
              <kbd>?</kbd> lists every shortcut.
            </p>
          </Empty>
        )}
      </main>
      {thread && selection.eventSeq !== null && (
        <EventDetail
          key={`${thread.thread_id}:${selection.eventSeq}`}
          threadId={thread.thread_id}
          seq={selection.eventSeq}
          onClose={() => select({ eventSeq: null })}
          onShowInTrace={selection.tab === 'trace' ? undefined : (event) => select(traceSelection(event))}
        />
      )}
      {notice && (
        <div className="notice" role="status">
          <span>{notice}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ✕
          </button>
        </div>
      )}
      {modal?.kind === 'delete' && <DeleteDialog target={modal.target} switchToWrite={switchToWrite} onClose={() => setModal(null)} onDeleted={onDeleted} />}
      {modal?.kind === 'import' && <ImportDialog drop={modal.drop} source={source.value} onClose={() => setModal(null)} onOpened={onOpened} />}
      {modal?.kind === 'drop' && pageMode.kind === 'desktop' && (
        <DropDialog drop={modal.drop} desktop={pageMode.api} onClose={() => setModal(null)} onOpened={onOpened} onImport={(drop) => setModal({ kind: 'import', drop })} />
      )}
      <ContentMenu threadId={threadId} onNotice={setNotice} />
      {modal?.kind === 'export' && <ExportDialog scope={modal.scope} onClose={() => setModal(null)} />}
      {modal?.kind === 'open' && <OpenDialog onClose={() => setModal(null)} onOpened={onOpened} onPostgres={() => setModal({ kind: 'postgres' })} />}
      {modal?.kind === 'postgres' && <PostgresDialog onClose={() => setModal(null)} onOpened={onOpened} />}
      {modal?.kind === 'shortcuts' && <ShortcutsDialog onClose={() => setModal(null)} />}
      {modal?.kind === 'issues' && <SourceIssuesDialog issues={issues.value ?? []} onClose={() => setModal(null)} />}
      {modal?.kind === 'health' && (
        <HealthPanel
          health={health}
          threads={threads.value ?? noThreads}
          onJump={jumpToFinding}
          onClose={() => setModal(null)}
          // Only a JSONL folder has a repaired copy: a database's findings are only shown, an export file is read as it is.
          onRepair={source.value?.kind === 'jsonl' ? () => setModal({ kind: 'repair' }) : undefined}
        />
      )}
      {modal?.kind === 'repair' && <RepairDialog onClose={() => setModal({ kind: 'health' })} onOpened={onOpened} />}
    </div>
  );
}
