// Category colours: the known categories (DESIGN.md §1) have their own;
// any other string is allowed and gets a neutral chip, still shown verbatim.
export const KNOWN_CATEGORIES: readonly string[] = ['message', 'trace', 'outputs', 'error', 'middleware', 'context', 'subagent', 'workspace', 'lifecycle'];
const KNOWN = new Set(KNOWN_CATEGORIES);

export function categoryClass(category: string): string {
  return KNOWN.has(category) ? `cat-${category}` : 'cat-other';
}
