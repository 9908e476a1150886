import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererFolderPerTest } from '../../test/support/renderer-folder.ts';
import { resolveStaticFile, staticFile } from './static-files.ts';

const folder = rendererFolderPerTest();

const text = (body: Uint8Array) => new TextDecoder().decode(body);

describe('resolveStaticFile', () => {
  it('maps URL paths into the folder, / to its index.html', () => {
    expect(resolveStaticFile('/', folder.renderer)).toBe(path.join(folder.renderer, 'index.html'));
    expect(resolveStaticFile('/index.html', folder.renderer)).toBe(path.join(folder.renderer, 'index.html'));
    expect(resolveStaticFile('/assets/index-abc.js', folder.renderer)).toBe(path.join(folder.renderer, 'assets', 'index-abc.js'));
    expect(resolveStaticFile('//assets/index-abc.js', folder.renderer)).toBe(path.join(folder.renderer, 'assets', 'index-abc.js'));
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/%00', '/%E0%A4%A'])('refuses %s', (pathname) => {
    expect(resolveStaticFile(pathname, folder.renderer)).toBeNull();
  });
});

describe('staticFile', () => {
  it('answers a file with its type', async () => {
    const page = await staticFile('/', folder.renderer);
    expect([page.status, page.contentType]).toEqual([200, 'text/html; charset=utf-8']);
    expect(text(page.body)).toContain('Run Inspector');
    const script = await staticFile('/assets/index-abc.js', folder.renderer);
    expect([script.status, script.contentType, text(script.body)]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
  });

  it('answers 404 outside the folder, for missing files and unknown types', async () => {
    writeFileSync(path.join(folder.renderer, 'notes.exe'), 'MZ');
    for (const pathname of ['/../secret.txt', '/missing.js', '/notes.exe', '/assets']) {
      const answer = await staticFile(pathname, folder.renderer);
      expect(answer.status, pathname).toBe(404);
      expect(text(answer.body), pathname).toBe('Not found');
    }
  });

  it('says to build the page when the folder has no index.html', async () => {
    const bare = path.join(folder.dir, 'not-built');
    for (const pathname of ['/', '/index.html']) {
      const answer = await staticFile(pathname, bare);
      expect([answer.status, answer.contentType]).toEqual([200, 'text/html; charset=utf-8']);
      expect(text(answer.body)).toContain('npm run build');
    }
    expect((await staticFile('/assets/index-abc.js', bare)).status).toBe(404);
  });
});
