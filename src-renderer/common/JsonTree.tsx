// Structured content as a collapsible tree. Big payloads start as a text
// preview: expanding a tree of hundreds of thousands of nodes would freeze
// the window, while a long <pre> renders at once.
import { useMemo, useState } from 'react';
import type { Props as JsonViewProps } from 'react-json-view-lite';
import { JsonView } from 'react-json-view-lite';
import type { JsonValue } from '../../src-shared/types.ts';
import { formatBytes } from './format.ts';

const treeStyle: Required<NonNullable<JsonViewProps['style']>> = {
  container: 'jt',
  basicChildStyle: 'jt-node',
  childFieldsContainer: 'jt-children',
  label: 'jt-label',
  clickableLabel: 'jt-label jt-clickable',
  nullValue: 'jt-null',
  undefinedValue: 'jt-null',
  stringValue: 'jt-string',
  booleanValue: 'jt-boolean',
  numberValue: 'jt-number',
  otherValue: 'jt-other',
  punctuation: 'jt-punct',
  collapseIcon: 'jt-expander jt-collapse',
  expandIcon: 'jt-expander jt-expand',
  collapsedContent: 'jt-collapsed',
  noQuotesForStringValues: false,
  quotesForFieldNames: true,
  ariaLables: { collapseJson: 'Collapse', expandJson: 'Expand' },
  stringifyStringValues: false,
};

/** Trees of more text than this open as a preview first. */
export const TREE_MAX_CHARS = 200_000;
const PREVIEW_CHARS = 20_000;
const EXPAND_BELOW_LEVEL = 2;
const BIG_CHILD_COUNT = 50;

/** Open the first levels, except containers so large they would bury everything after them. */
const shouldExpand = (level: number, value: unknown) =>
  level < EXPAND_BELOW_LEVEL && !(typeof value === 'object' && value !== null && Object.keys(value).length > BIG_CHILD_COUNT && level > 0);

export function JsonTree({ value, label }: { value: JsonValue; label: string }) {
  const pretty = useMemo(() => JSON.stringify(value, null, 2), [value]);
  const [showAll, setShowAll] = useState(false);
  if (value === null || typeof value !== 'object') return <pre className="plain-text">{pretty}</pre>;
  if (pretty.length > TREE_MAX_CHARS && !showAll) {
    return (
      <div className="json-preview">
        <pre className="plain-text">{pretty.slice(0, PREVIEW_CHARS)}</pre>
        <p className="preview-note">
          Showing the first {formatBytes(PREVIEW_CHARS)} of {formatBytes(pretty.length)}.{' '}
          <button type="button" className="link-button" onClick={() => setShowAll(true)}>
            Show all
          </button>
        </p>
      </div>
    );
  }
  if (pretty.length > TREE_MAX_CHARS) return <pre className="plain-text">{pretty}</pre>;
  return <JsonView data={value} style={treeStyle} shouldExpandNode={shouldExpand} aria-label={label} />;
}

/** The value a string holds when it is a JSON object or array, else undefined. */
export function parseJsonText(text: string): JsonValue | undefined {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('[')) || trimmed.length > 5_000_000) return undefined;
  try {
    const value = JSON.parse(trimmed) as JsonValue;
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
