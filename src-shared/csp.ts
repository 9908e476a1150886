// The one Content-Security-Policy of the app's pages, shared by the desktop
// shell (response header of its own pages) and browser mode (`serve`).
// Event content is untrusted; nothing in the page may run code that did not
// ship with the build, load from elsewhere, or frame the page.
export const cspDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // React sets style attributes (virtualized rows are positioned inline).
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
} as const satisfies Record<string, readonly string[]>;

export type CspDirective = keyof typeof cspDirectives;

export function formatCsp(directives: Partial<Record<CspDirective, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The policy as a response header value. */
export const contentSecurityPolicy = formatCsp(cspDirectives);
