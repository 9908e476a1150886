import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTotals } from './test-totals.ts';

const script = path.join(import.meta.dirname, 'test-totals.ts');

describe('test totals', () => {
  it('counts tests per file and group, with each file described by its opening comment', () => {
    const file = path.join(import.meta.dirname, 'test-totals.test.ts');
    const text = renderTotals([
      { name: 'group a > one', file },
      { name: 'group a > two', file },
      { name: 'group | b > three', file },
    ]);
    expect(text).toContain('In all: **3 tests** in 1 file.');
    expect(text).toContain('## `test-totals.test.ts`: 3 tests');
    expect(text).toContain('| group a | 2 |');
    expect(text).toContain('| group \\| b | 1 |');
  });

  it('says one test and one file in the singular', () => {
    const file = path.join(import.meta.dirname, 'test-totals.test.ts');
    const text = renderTotals([{ name: 'alone', file }]);
    expect(text).toContain('In all: **1 test** in 1 file.');
    expect(text).toContain('## `test-totals.test.ts`: 1 test');
  });

  it('the committed TOTALS.md is what the test files say now', () => {
    const result = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);
});
