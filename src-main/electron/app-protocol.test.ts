// What the app:// protocol adds to serving the renderer's files (whose paths,
// types and 404s static-files.test.ts covers): its scheme and host, and the
// CSP on every answer.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src-shared/csp.ts';
import { rendererFolderPerTest } from '../../test/support/renderer-folder.ts';
import { appPathname, appResponse } from './app-protocol.ts';

const folder = rendererFolderPerTest();

describe('appPathname', () => {
  it('is the path of an app://run-inspector/ URL, without query or fragment', () => {
    expect(appPathname('app://run-inspector/')).toBe('/');
    expect(appPathname('app://run-inspector/index.html?x#y')).toBe('/index.html');
    expect(appPathname('app://run-inspector/assets/index-abc.js')).toBe('/assets/index-abc.js');
  });

  it.each(['app://other-host/index.html', 'file:///etc/passwd', 'not a url'])('is null for %s', (url) => {
    expect(appPathname(url)).toBeNull();
  });
});

describe('appResponse', () => {
  it('serves the page with the CSP and nosniff', async () => {
    const response = await appResponse('app://run-inspector/index.html', folder.renderer, contentSecurityPolicy);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('Run Inspector');
  });

  it('answers 404 for another host, with the CSP too', async () => {
    const response = await appResponse('app://other-host/index.html', folder.renderer, contentSecurityPolicy);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });
});
