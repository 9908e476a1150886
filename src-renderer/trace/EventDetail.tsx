// The side pane for one event: envelope, truncation marker, content (JSON
// tree or text with a preview for big payloads), metadata, copy as JSON.
// The full record is fetched here; lists only carry what their rows show.
import { useMemo, useState } from 'react';
import type { JsonObject, JsonValue, RunEvent } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { CopyButton } from '../common/CopyButton.tsx';
import { formatCount, formatDateTime } from '../common/format.ts';
import { useLoad, useStoreChanged } from '../common/hooks.ts';
import { JsonTree, parseJsonText, TREE_MAX_CHARS } from '../common/JsonTree.tsx';
import { ErrorNote, Loading } from '../common/States.tsx';
import { categoryClass } from './categories.ts';
import { truncation, truncationText } from './trace-rows.ts';
import { describeValue } from './value-summary.ts';

const ENVELOPE_KEYS = ['thread_id', 'run_id', 'seq', 'event_type', 'category', 'created_at', 'user_id'] as const;
const STRING_PREVIEW_CHARS = 20_000;

interface EventDetailProps {
  threadId: string;
  seq: number;
  onClose: () => void;
  onShowInTrace?: (event: RunEvent) => void;
}

export function EventDetail({ threadId, seq, onClose, onShowInTrace }: EventDetailProps) {
  const [load, reload] = useLoad(() => api.getEvent({ threadId, seq }), `${threadId}\n${seq}`);
  useStoreChanged(reload, threadId);
  const event = load.value;
  const state = load.state === 'ready' ? (event ? 'ready' : 'missing') : load.state;

  return (
    <aside className="detail-pane" aria-label="Event detail" data-state={state} data-seq={seq}>
      <header className="pane-header detail-header">
        <h2 className="pane-title">
          Event <span className="mono">#{seq}</span>
        </h2>
        {event && <span className={`cat-chip ${categoryClass(event.category)}`}>{event.category}</span>}
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label="Close event detail" title="Close (Esc)" onClick={onClose}>
          ✕
        </button>
      </header>
      <div className="detail-body">
        {load.state === 'loading' && !event && <Loading label="Loading event…" />}
        {load.state === 'error' && <ErrorNote title="Could not load this event" message={load.error} onRetry={reload} />}
        {state === 'missing' && <p className="state-body">This event no longer exists (its run or thread was deleted).</p>}
        {event && <EventBody event={event} onShowInTrace={onShowInTrace} />}
      </div>
    </aside>
  );
}

function EventBody({ event, onShowInTrace }: { event: RunEvent; onShowInTrace?: (event: RunEvent) => void }) {
  const extraKeys = Object.keys(event).filter((k) => !(ENVELOPE_KEYS as readonly string[]).includes(k) && k !== 'content' && k !== 'metadata');
  const record = event as unknown as JsonObject;
  const cut = truncation(event.metadata);

  return (
    <>
      <h3 className="detail-type mono">{event.event_type}</h3>
      <div className="detail-actions">
        <CopyButton label="Copy as JSON" text={() => JSON.stringify(event, null, 2)} />
        {onShowInTrace && (
          <button type="button" onClick={() => onShowInTrace(event)}>
            Show in trace
          </button>
        )}
      </div>

      {cut && (
        <p className="truncation-note" role="note">
          {truncationText(cut)}.
        </p>
      )}

      <section className="detail-section" aria-label="Envelope">
        <h4>Envelope</h4>
        <dl className="envelope">
          {ENVELOPE_KEYS.filter((k) => k in event).map((key) => (
            <div key={key} className="envelope-row">
              <dt>{key}</dt>
              <dd className="mono" title={String(record[key])}>
                {record[key] === null ? 'null' : String(record[key])}
                {key === 'created_at' && <span className="muted"> · {formatDateTime(event.created_at)} local</span>}
              </dd>
            </div>
          ))}
          {extraKeys.map((key) => (
            <div key={key} className="envelope-row">
              <dt>{key}</dt>
              <dd className="mono">{JSON.stringify(record[key])}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="detail-section" aria-label="Content">
        <h4>
          Content <span className="muted small">{describeValue(event.content)}</span>
        </h4>
        <ContentView content={event.content} />
      </section>

      <section className="detail-section" aria-label="Metadata">
        <h4>Metadata</h4>
        {Object.keys(event.metadata).length === 0 ? <p className="muted small">{'{}'}</p> : <JsonTree value={event.metadata} label="Metadata" />}
      </section>
    </>
  );
}

function ContentView({ content }: { content: JsonValue }) {
  const [asJson, setAsJson] = useState(true);
  const [showAll, setShowAll] = useState(false);
  const json = useMemo(() => (typeof content === 'string' ? parseJsonText(content) : undefined), [content]);
  if (typeof content !== 'string') return <JsonTree value={content} label="Content" />;
  if (content === '') return <p className="muted small">(empty string)</p>;
  const long = content.length > Math.min(TREE_MAX_CHARS, STRING_PREVIEW_CHARS * 2);
  return (
    <div>
      {json !== undefined && (
        <div className="segmented" role="group" aria-label="Content view">
          <button type="button" aria-pressed={asJson} onClick={() => setAsJson(true)}>
            JSON tree
          </button>
          <button type="button" aria-pressed={!asJson} onClick={() => setAsJson(false)}>
            Text
          </button>
        </div>
      )}
      {json !== undefined && asJson ? (
        <JsonTree value={json} label="Content" />
      ) : (
        <>
          <pre className="plain-text content-text">{long && !showAll ? content.slice(0, STRING_PREVIEW_CHARS) : content}</pre>
          {long && !showAll && (
            <p className="preview-note">
              Showing {formatCount(STRING_PREVIEW_CHARS)} of {formatCount(content.length)} characters.{' '}
              <button type="button" className="link-button" onClick={() => setShowAll(true)}>
                Show all
              </button>
            </p>
          )}
        </>
      )}
    </div>
  );
}
