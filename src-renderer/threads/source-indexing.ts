// Where the open source's first read stands (issue 14: a JSONL folder is
// read in the background and its threads listed as they are read): asked
// once when the pane mounts and again when another source is opened, then
// followed by main's source:indexing pushes. Each push also has the thread
// list read again, so it grows as threads arrive; a thread the page names
// (the URL, after a reload) that the read has not reached is read first.
import { useEffect, useRef, useState } from 'react';
import type { SourceIndexing } from '../../src-shared/contract.ts';
import { api } from '../api.ts';
import { usePush, useStoreChanged } from '../common/hooks.ts';

/** The first read's progress, null until known; `onMore` is called at each push (the list has grown, or is complete). */
export function useSourceIndexing(onMore: () => void): SourceIndexing | null {
  const [indexing, setIndexing] = useState<SourceIndexing | null>(null);
  const asked = useRef(0);
  const ask = () => {
    const request = ++asked.current;
    api.indexingStatus({}).then(
      // A push may have come meanwhile: the answer only fills in what no push has told yet.
      (status) => request === asked.current && setIndexing((known) => known ?? status),
      () => {},
    );
  };
  useEffect(ask, []);
  useStoreChanged((change) => {
    if (change.threadIds !== null) return;
    // Another source: what its own read says, from scratch.
    setIndexing(null);
    ask();
  });
  usePush('source:indexing', (progress) => {
    asked.current++;
    setIndexing(progress);
    onMore();
  });
  return indexing;
}

/**
 * While the source is read, the open thread (named by the URL) not listed
 * yet is asked for, which has main read it before the others, and the list
 * is read again: once per thread.
 */
export function useReadFirst(threadId: string | null, listed: boolean, reading: boolean, onMore: () => void): void {
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (!reading || listed || threadId === null || asked.current === threadId) return;
    asked.current = threadId;
    api.countMessages({ threadId }).then(onMore, () => {});
  }, [threadId, listed, reading, onMore]);
}
