import { describe, expect, it } from 'vitest';
import { tokensText } from './run-header-text.ts';

const summed = { input: 10_000, output: 2_380, total: 12_380 };
const row = { input: 10_000, output: 2_400, total: 12_400, lead_agent: 9_000, subagent: 3_400, middleware: null };

describe('tokensText', () => {
  it('shows the summed total where no runs row recorded one', () => {
    expect(tokensText(summed, null)).toEqual({ text: '12,380', detail: "in 10,000 · out 2,380, summed from the AI messages' usage", differ: false });
    expect(tokensText(summed, { ...row, total: null }).text).toBe('12,380');
  });

  it('shows one total where the record and the sum agree', () => {
    expect(tokensText(summed, { ...row, total: 12_380 })).toMatchObject({ text: '12,380', differ: false });
  });

  it('shows both, and says so, where they differ; the record split by caller in the detail', () => {
    const text = tokensText(summed, row);
    expect(text.text).toBe('recorded 12,400 · summed 12,380');
    expect(text.differ).toBe(true);
    expect(text.detail).toContain('the runs row records 12,400 (lead agent 9,000 · subagents 3,400)');
  });
});
