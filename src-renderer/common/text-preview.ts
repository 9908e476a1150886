// Long message text starts collapsed to its first lines.

const PREVIEW_CHARS = 1200;
const PREVIEW_LINES = 16;

/** The first lines and characters of a long text, or null when it is short enough to show whole. */
export function previewOf(text: string): string | null {
  let cut = Math.min(text.length, PREVIEW_CHARS);
  let newlines = 0;
  for (let i = 0; i < cut; i++) {
    if (text.charCodeAt(i) === 10 && ++newlines === PREVIEW_LINES) {
      cut = i;
      break;
    }
  }
  return cut < text.length ? text.slice(0, cut) : null;
}
