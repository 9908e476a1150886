// The search's filters as the field keeps them (beside its scope).
export interface FilterValues {
  categories: readonly string[];
  eventTypes: readonly string[];
  /** Category error or type llm.error; replaces the other two while on. */
  errorsOnly: boolean;
}

export const noSearchFilters: FilterValues = { categories: [], eventTypes: [], errorsOnly: false };

export const isNarrowed = (filters: FilterValues): boolean => filters.errorsOnly || filters.categories.length > 0 || filters.eventTypes.length > 0;

/** `llm.error, tool.call` → the types; blanks and repeats dropped. */
export const parseTypes = (text: string): string[] => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/** The category chips: the known ones in their order, then, sorted, any other the source is seen to have (the open thread's, the hits') or that is picked. */
export function offeredCategories(known: readonly string[], ...seen: Iterable<string>[]): string[] {
  const others = new Set<string>();
  for (const categories of seen) for (const category of categories) if (!known.includes(category)) others.add(category);
  return [...known, ...[...others].sort()];
}
