// One message of the timeline: role, text, images, reasoning, tool calls
// paired with their results, and the model / tokens / latency footer.
import type { ReactNode } from 'react';
import { memo } from 'react';
import type { JsonValue, RunEvent } from '../../src-shared/types.ts';
import { formatBytes, formatCount, formatDateTime, formatDuration, plural } from '../common/format.ts';
import { JsonTree } from '../common/JsonTree.tsx';
import { LongText } from '../common/LongText.tsx';
import type { ContentPart, MessageView, ToolCall } from '../../src-shared/message-model.ts';
import { viewOf } from '../../src-shared/message-model.ts';
import type { ToolPairs } from './timeline-rows.ts';

/** What the viewer opened inside a row; kept by the timeline so it survives rows being recycled. */
export interface RowUi {
  expanded?: boolean;
  asJson?: boolean;
  reasoning?: boolean;
}

const ROLE_LABELS: Record<string, string> = { human: 'Human', ai: 'AI', tool: 'Tool', system: 'System', summary: 'Summary' };
export const roleLabel = (view: MessageView) => ROLE_LABELS[view.role] ?? view.role;

/** What the timeline knows of tool results outside the loaded window. */
export interface UnloadedResults {
  /** Nothing newer is left to load: a result that is not loaded does not exist. */
  allLoaded: boolean;
  /** Calls a search found no result for. */
  missing: ReadonlySet<string>;
  /** Looks for a call's result beyond the loaded window and jumps to it. */
  find: (call: RunEvent, callId: string) => void;
}

interface MessageRowProps {
  event: RunEvent;
  view: MessageView;
  pairs: ToolPairs;
  unloaded: UnloadedResults;
  /** The message's run is still running (src-shared/run-status.ts): a call without a result may still get one. */
  runRunning: boolean;
  ui: RowUi;
  selected: boolean;
  highlighted: boolean;
  onUi: (seq: number, patch: RowUi) => void;
  onJump: (seq: number) => void;
  onDetail: (seq: number) => void;
}

/** What a row reads of the window's tool pairs: the call it answers and the results of its own calls. */
const pairedWith = ({ view, pairs }: MessageRowProps): (RunEvent | undefined)[] => [
  view.toolCallId ? pairs.calls.get(view.toolCallId) : undefined,
  ...view.toolCalls.map((call) => (call.id ? pairs.results.get(call.id) : undefined)),
];

/**
 * Every page that lands pairs the whole window anew: a row renders again only when a prop of its own
 * changed or its call or results did, not for each page (its markdown, layout and measuring with it).
 */
function sameRow(previous: MessageRowProps, next: MessageRowProps): boolean {
  const keys = Object.keys(next) as (keyof MessageRowProps)[];
  if (keys.some((key) => key !== 'pairs' && !Object.is(previous[key], next[key]))) return false;
  const [before, after] = [pairedWith(previous), pairedWith(next)];
  return before.every((event, i) => event === after[i]);
}

export const MessageRow = memo(function MessageRow({ event, view, pairs, unloaded, runRunning, ui, selected, highlighted, onUi, onJump, onDetail }: MessageRowProps) {
  const seq = event.seq;
  const call = view.toolCallId ? pairs.calls.get(view.toolCallId) : undefined;
  const classes = ['message', `role-${view.role in ROLE_LABELS ? view.role : 'other'}`, `caller-${view.callerKind}`];
  if (view.hidden) classes.push('is-hidden');
  if (selected) classes.push('selected');
  if (highlighted) classes.push('highlighted');

  return (
    <article className={classes.join(' ')} aria-label={`${roleLabel(view)} message, seq ${seq}`} data-seq={seq}>
      <header className="message-head">
        <span className="role-badge">{roleLabel(view)}</span>
        {view.rawRole && <span className="muted small">{view.rawRole}</span>}
        {view.toolName && <code className="tool-name">{view.toolName}</code>}
        {view.toolStatus === 'error' && <span className="flag flag-error">failed</span>}
        {view.callerKind !== 'lead' && <span className={`flag flag-${view.callerKind}`}>{view.caller}</span>}
        {view.hidden && (
          <span className="flag flag-hidden" title="additional_kwargs.hide_from_ui">
            hidden
          </span>
        )}
        {view.truncation && (
          <span className="flag flag-truncated" title="The recorder cut this content (metadata.content_truncated): what is shown is its beginning">
            truncated{view.truncation.originalBytes !== null && ` · ${formatBytes(view.truncation.originalBytes)} recorded`}
          </span>
        )}
        <span className="spacer" />
        <span className="event-type">{event.event_type}</span>
        <time className="muted small" dateTime={event.created_at} title={event.created_at}>
          {formatDateTime(event.created_at)}
        </time>
        <button type="button" className="seq-button" aria-label={`Details of event ${seq}`} onClick={() => onDetail(seq)}>
          #{seq}
        </button>
      </header>

      {view.toolCallId && (
        <p className="tool-answer muted small">
          Result of{' '}
          {call ? (
            <button type="button" className="link-button" onClick={() => onJump(call.seq)}>
              call #{call.seq}
            </button>
          ) : (
            'call'
          )}{' '}
          <code>{view.toolCallId}</code>
        </p>
      )}

      {view.reasoning && (
        <details className="reasoning" open={ui.reasoning ?? false} onToggle={(e) => onUi(seq, { reasoning: e.currentTarget.open })}>
          <summary>Reasoning ({plural(view.reasoning.length, 'char')})</summary>
          <pre className="plain-text">{view.reasoning}</pre>
        </details>
      )}

      <div className="message-body">
        {view.parts.map((part, i) => (
          <Part key={i} part={part} seq={seq} ui={ui} plain={view.role === 'tool'} onUi={onUi} />
        ))}
        {view.parts.length === 0 && view.toolCalls.length === 0 && <p className="muted small">(no content)</p>}
      </div>

      {view.toolCalls.length > 0 && (
        <ul className="tool-calls" aria-label="Tool calls">
          {view.toolCalls.map((toolCall, i) => (
            <ToolCallItem
              key={toolCall.id ?? i}
              call={toolCall}
              result={toolCall.id ? pairs.results.get(toolCall.id) : undefined}
              missing={<MissingResult callEvent={event} callId={toolCall.id} unloaded={unloaded} runRunning={runRunning} />}
              onJump={onJump}
            />
          ))}
        </ul>
      )}

      <Footer view={view} />
    </article>
  );
}, sameRow);

function Part({ part, seq, ui, plain, onUi }: { part: ContentPart; seq: number; ui: RowUi; plain: boolean; onUi: (seq: number, patch: RowUi) => void }) {
  if (part.kind === 'text') {
    return <LongText text={part.text} expanded={ui.expanded ?? false} asJson={ui.asJson ?? false} plain={plain} onChange={(patch) => onUi(seq, patch)} />;
  }
  if (part.kind === 'image') {
    return (
      <div className="image-placeholder" title={part.label}>
        <span aria-hidden="true">▧</span> Image · {part.label}
        {part.bytes !== null && ` · ${formatBytes(part.bytes)}`}
      </div>
    );
  }
  return <JsonTree value={part.value} label="Message content" />;
}

function isEmptyArgs(args: JsonValue): boolean {
  return args === null || (typeof args === 'object' && Object.keys(args).length === 0);
}

interface ToolCallItemProps {
  call: ToolCall;
  result: RunEvent | undefined;
  /** What stands in for the result link when the result is not loaded. */
  missing: ReactNode;
  onJump: (seq: number) => void;
}

function ToolCallItem({ call, result, missing, onJump }: ToolCallItemProps) {
  const failed = result ? viewOf(result).toolStatus === 'error' : false;
  const inline = JSON.stringify(call.args);
  return (
    <li className="tool-call">
      <div className="tool-call-head">
        <span className="tool-icon" aria-hidden="true">
          ƒ
        </span>
        <code className="tool-name">{call.name}</code>
        {call.id && <code className="muted small">{call.id}</code>}
        <span className="spacer" />
        {result ? (
          <button type="button" className={`link-button${failed ? ' error-text' : ''}`} onClick={() => onJump(result.seq)}>
            {failed ? 'failed' : 'result'} #{result.seq} ↓
          </button>
        ) : (
          missing
        )}
      </div>
      {!isEmptyArgs(call.args) &&
        (inline.length <= 120 ? <code className="tool-args-inline">{inline}</code> : <JsonTree value={call.args} label={`Arguments of ${call.name}`} />)}
    </li>
  );
}

/** A call whose result is not loaded: found beyond the window on demand, or known not to exist (yet). */
function MissingResult({ callEvent, callId, unloaded, runRunning }: { callEvent: RunEvent; callId: string | null; unloaded: UnloadedResults; runRunning: boolean }) {
  if (!callId) return <span className="muted small">no call id</span>;
  if (unloaded.allLoaded || unloaded.missing.has(callId)) {
    return <span className="muted small">{runRunning ? 'no result yet' : 'no result'}</span>;
  }
  return (
    <button type="button" className="link-button" onClick={() => unloaded.find(callEvent, callId)}>
      find result ↓
    </button>
  );
}

function Footer({ view }: { view: MessageView }) {
  const items: string[] = [];
  if (view.model) items.push(view.model);
  if (view.usage) {
    const { input, output, total } = view.usage;
    const parts = [input !== null && `in ${formatCount(input)}`, output !== null && `out ${formatCount(output)}`, total !== null && `total ${formatCount(total)}`];
    items.push(`${parts.filter(Boolean).join(' · ')} tokens`);
  }
  if (view.latencyMs !== null) items.push(`${formatDuration(view.latencyMs)} latency`);
  if (view.finishReason) items.push(`finish: ${view.finishReason}`);
  if (items.length === 0) return null;
  return (
    <footer className="message-foot">
      {items.map((item) => (
        <span key={item}>{item}</span>
      ))}
    </footer>
  );
}
