import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src-shared/csp.ts';
import { appPathname, appResponse } from './app-protocol.ts';

let dir: string;
let renderer: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'app-protocol-'));
  renderer = path.join(dir, 'renderer');
  mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Run Inspector</title>');
  writeFileSync(path.join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('appPathname', () => {
  it('is the path of an app://run-inspector/ URL, without query or fragment', () => {
    expect(appPathname('app://run-inspector/')).toBe('/');
    expect(appPathname('app://run-inspector/index.html?x#y')).toBe('/index.html');
    expect(appPathname('app://run-inspector/assets/index-abc.js')).toBe('/assets/index-abc.js');
  });

  it('has the dot segments the URL parser resolves removed', () => {
    expect(appPathname('app://run-inspector/../secret.txt')).toBe('/secret.txt');
    expect(appPathname('app://run-inspector/%2e%2e/secret.txt')).toBe('/secret.txt');
  });

  it.each(['app://other-host/index.html', 'file:///etc/passwd', 'not a url'])('is null for %s', (url) => {
    expect(appPathname(url)).toBeNull();
  });
});

describe('appResponse', () => {
  it('serves the page with its type and the CSP', async () => {
    const response = await appResponse('app://run-inspector/index.html', renderer, contentSecurityPolicy);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('Run Inspector');
  });

  it('serves module scripts as JavaScript', async () => {
    const response = await appResponse('app://run-inspector/assets/index-abc.js', renderer, contentSecurityPolicy);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 outside the renderer, for other hosts, missing files and unknown types', async () => {
    writeFileSync(path.join(renderer, 'notes.exe'), 'MZ');
    const urls = ['app://run-inspector/assets/..%2f..%2fsecret.txt', 'app://other-host/index.html', 'app://run-inspector/missing.js', 'app://run-inspector/notes.exe'];
    for (const url of urls) {
      const response = await appResponse(url, renderer, contentSecurityPolicy);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
      expect(await response.text()).not.toContain('secret');
    }
  });
});
