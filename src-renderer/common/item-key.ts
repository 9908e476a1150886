// A virtualizer's getItemKey that keeps its identity while its list does.
// TanStack Virtual takes a new getItemKey as new measurement options and lays
// every row out again: with an arrow made in each render, each render of a
// 58,579-run thread's table (every scroll frame) walked all of its runs.
import { type Key, useCallback } from 'react';

/** `keyOf` is a function made once (at module level), so the key changes only with `items`. */
export function useItemKey<T, K extends Key>(items: readonly T[], keyOf: (item: T) => K): (index: number) => K {
  return useCallback((index: number) => keyOf(items[index]), [items, keyOf]);
}
