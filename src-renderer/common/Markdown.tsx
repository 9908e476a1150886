// Markdown from event content (GFM: tables, strikethrough, task lists,
// autolinks), rendered as React elements only: raw HTML in the text stays
// visible as text (react-markdown turns it into text nodes), images are
// never fetched, and only absolute http(s) links are links at all.
import { memo } from 'react';
import type { Components } from 'react-markdown';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

/**
 * A link leaves the app only as an absolute http(s) URL: in the desktop app
 * its target="_blank" lands in main's window-open handler, which hands it to
 * the external opener (http(s) only, again); in browser mode it opens a new
 * tab that cannot reach back (noopener) or learn the token (noreferrer).
 * Anything else — javascript:, data:, file:, relative paths, footnote anchors
 * — is shown as inert text with the address in its tooltip.
 */
export function externalHref(href: string | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const components: Components = {
  a: ({ href, children }) => {
    const external = externalHref(href);
    return external ? (
      <a href={external} target="_blank" rel="noopener noreferrer" title={external}>
        {children}
      </a>
    ) : (
      <span className="inert-link" title={href || undefined}>
        {children}
      </span>
    );
  },
  img: ({ src, alt }) => (
    <span className="image-placeholder" title={typeof src === 'string' ? src : undefined}>
      [image{alt ? `: ${alt}` : ''}]
    </span>
  ),
  // Wide tables scroll inside the message instead of widening it.
  table: ({ children }) => (
    <div className="md-table">
      <table>{children}</table>
    </div>
  ),
};

const remarkPlugins = [remarkGfm];

/** Beyond this, markdown parsing costs more than it helps: shown as preformatted text. */
const MARKDOWN_MAX_CHARS = 100_000;

/** Parsed again only when the text changes: a timeline row re-renders whenever a page lands beside it. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  if (text.length > MARKDOWN_MAX_CHARS) return <pre className="plain-text">{text}</pre>;
  return (
    <div className="markdown">
      <ReactMarkdown components={components} remarkPlugins={remarkPlugins} skipHtml={false}>
        {text}
      </ReactMarkdown>
    </div>
  );
});

/** The shapes messages' markdown takes most: headings, emphasis, code, links, lists, a task list, a table, a quote. */
export const WARM_UP_TEXT = '# Title\n\nSome *emphasis*, **strong**, `code` and a [link](https://example.com).\n\n- one\n- [x] done\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```js\nconst x = 1;\n```\n\n> quoted\n';

/**
 * Runs a small text through the whole markdown pipeline once, for the page's idle time after it starts:
 * the parser's first run compiles its code, several times slower than any later run, and was paid by
 * the first thread opened (~30 ms of the task rendering its first rows).
 */
export function warmUpMarkdown(): void {
  // The component is a plain function of its props (no hooks): called as one, it runs the pipeline and renders nothing.
  ReactMarkdown({ children: WARM_UP_TEXT, components, remarkPlugins, skipHtml: false });
}
