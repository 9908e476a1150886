import { describe, expect, it } from 'vitest';
import { previewOf } from './text-preview.ts';

describe('previewOf', () => {
  it('leaves short text whole', () => {
    expect(previewOf('short')).toBeNull();
  });

  it('cuts long text by characters or lines, whichever comes first', () => {
    expect(previewOf('x'.repeat(5000))).toHaveLength(1200);
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    expect(previewOf(lines)?.split('\n')).toHaveLength(16);
  });
});
