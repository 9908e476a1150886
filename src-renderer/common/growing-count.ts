// Long lists that cannot be virtualized (a select's options) mounted a slice
// at a time: the first slice at once, the next ones in the idle time after
// it, so that no task renders thousands of elements; every item is there in
// the end.
import { startTransition, useEffect, useState } from 'react';
import { whenIdle } from './idle.ts';

/** How many of `total` items to render now: `step` at first, `step` more after each idle period, until all. */
export function useGrowingCount(total: number, step: number): number {
  const [shown, setShown] = useState(() => Math.min(total, step));
  useEffect(() => {
    if (shown >= total) return;
    return whenIdle(() => startTransition(() => setShown((count) => Math.min(total, count + step))));
  }, [shown, total, step]);
  return Math.min(shown, total);
}
