import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src-shared/csp.ts';
import { appResponse, resolveAppFile } from './app-protocol.ts';

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

describe('resolveAppFile', () => {
  it('maps app:// paths into the renderer folder', () => {
    expect(resolveAppFile('app://run-inspector/', renderer)).toBe(path.join(renderer, 'index.html'));
    expect(resolveAppFile('app://run-inspector/index.html?x#y', renderer)).toBe(path.join(renderer, 'index.html'));
    expect(resolveAppFile('app://run-inspector/assets/index-abc.js', renderer)).toBe(path.join(renderer, 'assets', 'index-abc.js'));
  });

  it('keeps dot segments the URL parser resolves inside the folder', () => {
    expect(resolveAppFile('app://run-inspector/../secret.txt', renderer)).toBe(path.join(renderer, 'secret.txt'));
    expect(resolveAppFile('app://run-inspector/%2e%2e/secret.txt', renderer)).toBe(path.join(renderer, 'secret.txt'));
  });

  it.each([
    'app://run-inspector/assets/..%2f..%2fsecret.txt',
    'app://run-inspector/%2e%2e%5csecret.txt',
    'app://run-inspector/%00',
    'app://run-inspector/%E0%A4%A',
    'app://other-host/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(url, renderer)).toBeNull();
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

  it('answers 404 outside the renderer, for missing files and unknown types', async () => {
    writeFileSync(path.join(renderer, 'notes.exe'), 'MZ');
    for (const url of ['app://run-inspector/../secret.txt', 'app://run-inspector/missing.js', 'app://run-inspector/notes.exe']) {
      const response = await appResponse(url, renderer, contentSecurityPolicy);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    }
  });
});
