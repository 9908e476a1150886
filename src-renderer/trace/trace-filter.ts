// Trace filters map onto listEvents' arguments. The store filters by event
// type and task id only, so a category filter becomes the event types of
// that category, learned from the events seen (and probed where unknown).
export interface TraceFilter {
  categories: readonly string[];
  eventTypes: readonly string[];
  taskId: string | null;
}

export const noFilter: TraceFilter = { categories: [], eventTypes: [], taskId: null };

/** `eventTypes` for listEvents: undefined for every type, 'none' when nothing can match. */
export function queryTypes(filter: TraceFilter, typeCategory: ReadonlyMap<string, string>, allTypes: readonly string[]): string[] | undefined | 'none' {
  if (filter.categories.length === 0 && filter.eventTypes.length === 0) return undefined;
  let types = filter.eventTypes.length > 0 ? [...filter.eventTypes] : [...allTypes];
  if (filter.categories.length > 0) types = types.filter((t) => filter.categories.includes(typeCategory.get(t) ?? ''));
  return types.length > 0 ? types.sort() : 'none';
}

/** Event types whose category is not known yet; a category filter needs them all. */
export function unmappedTypes(allTypes: readonly string[], typeCategory: ReadonlyMap<string, string>): string[] {
  return allTypes.filter((t) => !typeCategory.has(t));
}

export function toggle<T extends string>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** One line of an event's content for the trace row; the full content is in the detail pane. */
const previews = new WeakMap<object, string>();
const PREVIEW_CHARS = 240;

export function contentPreview(content: unknown): string {
  if (typeof content === 'string') return content.slice(0, PREVIEW_CHARS * 2).replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARS);
  if (typeof content !== 'object' || content === null) return JSON.stringify(content);
  let preview = previews.get(content);
  if (preview === undefined) {
    preview = JSON.stringify(content).slice(0, PREVIEW_CHARS);
    previews.set(content, preview);
  }
  return preview;
}
