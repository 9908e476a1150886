import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ErrorBoundary } from './ErrorBoundary.tsx';

describe('ErrorBoundary', () => {
  it('shows its children while nothing failed', () => {
    expect(renderToStaticMarkup(<ErrorBoundary>fine</ErrorBoundary>)).toBe('fine');
  });

  it('after a render error shows what broke and a Reload button instead of a blank page', () => {
    // Server rendering never catches: the state a caught error leads to is rendered directly.
    const boundary = new ErrorBoundary({ children: 'never shown' });
    boundary.state = ErrorBoundary.getDerivedStateFromError(new TypeError('rows is undefined'));
    const html = renderToStaticMarkup(<>{boundary.render()}</>);
    expect(html).toContain('role="alert"');
    expect(html).toContain('rows is undefined');
    expect(html).toMatch(/<button type="button" class="primary">Reload<\/button>/);
    expect(html).not.toContain('never shown');
  });
});
