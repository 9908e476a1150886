// Skipped and defaulted lines of a source or an import, however many: a
// broken file can yield one per line, so rows are virtualized (and measured,
// since long paths and reasons wrap).
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { SourceIssue } from '../../src-shared/types.ts';
import { issueKind, issuePlace } from './source-issues.ts';

const ROW_ESTIMATE = 44;
const KIND_FLAGS = { skipped: 'flag-error', 'not read': 'flag-hidden', warning: 'flag-hidden' } as const;

export function IssueList({ issues, label }: { issues: readonly SourceIssue[]; label: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: issues.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 6,
  });

  return (
    <div ref={scrollRef} role="list" aria-label={label} className="issue-list" tabIndex={0}>
      <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const issue = issues[item.index];
          const kind = issueKind(issue);
          return (
            <div
              key={item.key}
              ref={virtualizer.measureElement}
              data-index={item.index}
              role="listitem"
              aria-setsize={issues.length}
              aria-posinset={item.index + 1}
              className="issue-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <span className={`flag ${KIND_FLAGS[kind]}`}>{kind}</span> <code className="issue-place">{issuePlace(issue)}</code>{' '}
              <span className="muted">— {issue.message}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
