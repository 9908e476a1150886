// Markdown from event content, rendered as React elements only: raw HTML in
// the text stays visible as text (react-markdown turns it into text nodes),
// links open outside the app, and images are never fetched.
import type { Components } from 'react-markdown';
import ReactMarkdown from 'react-markdown';

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
  img: ({ src, alt }) => (
    <span className="image-placeholder" title={typeof src === 'string' ? src : undefined}>
      [image{alt ? `: ${alt}` : ''}]
    </span>
  ),
};

/** Beyond this, markdown parsing costs more than it helps: shown as preformatted text. */
const MARKDOWN_MAX_CHARS = 100_000;

export function Markdown({ text }: { text: string }) {
  if (text.length > MARKDOWN_MAX_CHARS) return <pre className="plain-text">{text}</pre>;
  return (
    <div className="markdown">
      <ReactMarkdown components={components} skipHtml={false}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
