import { describe, expect, it } from 'vitest';
import { debugFromArgv, sourceFromArgv, writeFromArgv } from './argv.ts';

const cwd = '/home/me/project';

describe('sourceFromArgv', () => {
  it('skips the app folder when unpackaged', () => {
    expect(sourceFromArgv(['/e/electron', '.'], { packaged: false, cwd })).toBeNull();
    expect(sourceFromArgv(['/e/electron', '.', 'runs.db'], { packaged: false, cwd })).toBe('/home/me/project/runs.db');
    expect(sourceFromArgv(['/e/electron', '/app/out/main/main.js', '/data/.deer-flow'], { packaged: false, cwd })).toBe('/data/.deer-flow');
  });

  it('takes the first argument when packaged', () => {
    expect(sourceFromArgv(['/opt/run-inspector'], { packaged: true, cwd })).toBeNull();
    expect(sourceFromArgv(['/opt/run-inspector', 'export.jsonl'], { packaged: true, cwd })).toBe('/home/me/project/export.jsonl');
  });

  it('ignores switches wherever they are', () => {
    expect(
      sourceFromArgv(['/e/electron', '--inspect=0', '--remote-debugging-port=0', '/app/main.js', '--no-sandbox', 'a.db'], { packaged: false, cwd }),
    ).toBe('/home/me/project/a.db');
    expect(sourceFromArgv(['/opt/run-inspector', '--allow-file-access-from-files', '--original-process-start-time=1'], { packaged: true, cwd })).toBeNull();
  });

  it("resolves against the instance's own working folder", () => {
    expect(sourceFromArgv(['/opt/run-inspector', '../x.db'], { packaged: true, cwd: '/tmp/work' })).toBe('/tmp/x.db');
  });

  it('keeps a PostgreSQL URL a URL (never a path under the working folder), and a --write beside it is no source', () => {
    const url = 'postgresql://ana@db.example:5432/deerflow?schema=team';
    expect(sourceFromArgv(['/opt/run-inspector', url, '--write'], { packaged: true, cwd })).toBe(url);
    expect(sourceFromArgv(['/e/electron', '.', '--write', 'postgres://db.example/deerflow'], { packaged: false, cwd })).toBe('postgres://db.example/deerflow');
  });
});

describe('writeFromArgv', () => {
  it('is true only for a --write switch of its own', () => {
    expect(writeFromArgv(['/opt/run-inspector', 'postgresql://db.example/deerflow', '--write'])).toBe(true);
    expect(writeFromArgv(['/opt/run-inspector', 'postgresql://db.example/deerflow'])).toBe(false);
    expect(writeFromArgv(['/opt/run-inspector', '--write-something', 'a.db'])).toBe(false);
  });
});

describe('debugFromArgv', () => {
  it('is true only for a --debug switch of its own, never the executable', () => {
    expect(debugFromArgv(['/opt/run-inspector', 'a.db', '--debug'])).toBe(true);
    expect(debugFromArgv(['/opt/run-inspector', 'a.db'])).toBe(false);
    expect(debugFromArgv(['--debug', 'a.db'])).toBe(false);
  });
});
