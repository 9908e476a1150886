// Message text: markdown, collapsed to a preview when long ("Show all"),
// and viewable as a JSON tree when the whole string is JSON.
import { useMemo } from 'react';
import { formatCount } from './format.ts';
import { JsonTree, parseJsonText } from './JsonTree.tsx';
import { Markdown } from './Markdown.tsx';
import { previewOf } from './text-preview.ts';

interface LongTextProps {
  text: string;
  expanded: boolean;
  asJson: boolean;
  onChange: (patch: { expanded?: boolean; asJson?: boolean }) => void;
  /** Tool output and the like read better preformatted than as markdown. */
  plain?: boolean;
}

export function LongText({ text, expanded, asJson, onChange, plain = false }: LongTextProps) {
  const json = useMemo(() => parseJsonText(text), [text]);
  const preview = useMemo(() => previewOf(text), [text]);
  const collapsed = preview !== null && !expanded;

  return (
    <div className="long-text">
      {json !== undefined && asJson ? (
        <JsonTree value={json} label="Content as JSON" />
      ) : (
        <div className={collapsed ? 'collapsed-text' : undefined}>
          {plain || json !== undefined ? <pre className="plain-text">{collapsed ? preview : text}</pre> : <Markdown text={collapsed ? (preview ?? '') : text} />}
        </div>
      )}
      {(preview !== null || json !== undefined) && (
        <div className="text-actions">
          {preview !== null && !(json !== undefined && asJson) && (
            <button type="button" className="link-button" aria-expanded={expanded} onClick={() => onChange({ expanded: !expanded })}>
              {expanded ? 'Show less' : `Show all (${formatCount(text.length)} chars)`}
            </button>
          )}
          {json !== undefined && (
            <button type="button" className="link-button" aria-pressed={asJson} onClick={() => onChange({ asJson: !asJson })}>
              {asJson ? 'View as text' : 'View as JSON tree'}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
