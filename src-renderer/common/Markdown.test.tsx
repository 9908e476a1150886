import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { externalHref, Markdown, WARM_UP_TEXT, warmUpMarkdown } from './Markdown.tsx';

const render = (text: string) => renderToStaticMarkup(<Markdown text={text} />);

describe('Markdown', () => {
  it('renders GFM tables with their alignment, inside a scroll wrapper', () => {
    const html = render('| Option | Latency (ms) |\n|---|---:|\n| Qdrant | 12 |\n| 推荐 | 7 |');
    expect(html).toContain('<div class="md-table"><table>');
    expect(html).toMatch(/<th>Option<\/th><th style="text-align:right">Latency \(ms\)<\/th>/);
    expect(html).toContain('<td>推荐</td>');
  });

  it('renders strikethrough, task lists (disabled checkboxes) and autolinks', () => {
    const html = render('~~gone~~\n\n- [x] done\n- [ ] open\n\nsee https://example.com/docs');
    expect(html).toContain('<del>gone</del>');
    expect(html).toMatch(/<input type="checkbox" disabled="" checked=""\/> done/);
    expect(html).toMatch(/<input type="checkbox" disabled=""\/> open/);
    expect(html).toContain('<a href="https://example.com/docs" target="_blank" rel="noopener noreferrer"');
  });

  it('makes javascript:, data:, relative and footnote links inert text', () => {
    const html = render(
      '[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](jav&#x61;script:alert(1)) [d](data:text/html,x) [e](/api/deleteByThread) [f](#top) text[^1]\n\n[^1]: note',
    );
    expect(html).not.toContain('<a ');
    expect(html.toLowerCase()).not.toContain('javascript:');
    expect(html).toContain('<span class="inert-link">a</span>');
    expect(html).toContain('<span class="inert-link" title="/api/deleteByThread">e</span>');
  });

  it('shows raw HTML as text and never fetches images', () => {
    const html = render('<script>alert(1)</script>\n\nSee <img src=x onerror=alert(1)> and ![chart](https://example.com/c.png)');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('[image: chart]');
  });
});

describe('externalHref', () => {
  it('lets only absolute http(s) URLs through', () => {
    expect(externalHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(externalHref('http://localhost:3000/')).toBe('http://localhost:3000/');
    for (const href of [undefined, '', 'javascript:alert(1)', ' javascript:alert(1)', 'mailto:a@b.c', 'file:///etc/passwd', '/relative', '#x', 'www.example.com']) {
      expect(externalHref(href), String(href)).toBeNull();
    }
  });

  it("warms the parser up on a text of the shapes messages take, through the component's own pipeline", () => {
    const html = render(WARM_UP_TEXT);
    for (const shape of ['<h1>', '<em>', '<strong>', '<code>', '<a href="https://example.com/"', '<li>', 'type="checkbox"', '<table>', '<pre><code class="language-js">', '<blockquote>']) expect(html).toContain(shape);
    expect(warmUpMarkdown()).toBeUndefined();
  });
});
