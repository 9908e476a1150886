import { describe, expect, it } from 'vitest';
import { sourceFromArgv } from './argv.ts';

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
});
