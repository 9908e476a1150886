// Where the open source's first read stands (issue 14: a JSONL folder is
// read in the background and its threads listed as they are read): asked
// once when the pane mounts and again when another source is opened, then
// followed by main's source:indexing pushes. Each push also has the thread
// list read again, so it grows as threads arrive.
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
