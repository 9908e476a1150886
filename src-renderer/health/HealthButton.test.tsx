import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { type HealthFinding, type HealthKind, healthReport, SEVERITY_OF } from '../../src-shared/health.ts';
import { HealthButton } from './HealthButton.tsx';
import { noHealthFilter } from './health-model.ts';
import type { Health } from './use-health.ts';

const found = (kind: HealthKind): HealthFinding => ({ kind, severity: SEVERITY_OF[kind], thread_id: 't1', run_id: null, seq: null, message: kind });

const idle: Health = {
  report: undefined,
  checking: false,
  progress: null,
  error: null,
  stale: false,
  checkAgain: () => {},
  filter: noHealthFilter,
  setFilter: () => {},
  active: 0,
  setActive: () => {},
};

const render = (health: Partial<Health>) => renderToStaticMarkup(<HealthButton health={{ ...idle, ...health }} onOpen={() => {}} />);
const nameOf = (html: string) => /aria-label="([^"]*)"/.exec(html)?.[1];

describe('the top bar’s Health entry', () => {
  it('names its counts, errors first, and shows each severity’s in that order', () => {
    const html = render({ report: healthReport([found('seq_gap'), found('orphan_events'), found('duplicate_seq'), found('malformed_line'), found('seq_gap')]) });
    expect(nameOf(html)).toBe('Health: 2 errors, 1 warning, 2 info');
    expect([...html.matchAll(/class="health-count health-(\w+)"/g)].map((m) => m[1])).toEqual(['error', 'warning', 'info']);
    expect(html).toContain('data-state="checked"');
  });

  it('leaves out the severities with none', () => {
    const html = render({ report: healthReport([found('run_without_end')]) });
    expect(nameOf(html)).toBe('Health: 1 warning');
    expect([...html.matchAll(/class="health-count health-(\w+)"/g)].map((m) => m[1])).toEqual(['warning']);
  });

  it('says a clean store has no findings, with a tick instead of counts', () => {
    const html = render({ report: healthReport([]) });
    expect(nameOf(html)).toBe('Health: no findings');
    expect(html).toContain('health-clean');
    expect(html).not.toMatch(/health-count health-(error|warning|info)/);
  });

  it('before any check says so, while one runs shows it, and after a failed first check says that', () => {
    expect(nameOf(render({}))).toBe('Health: not checked yet');
    const checking = render({ checking: true });
    expect(nameOf(checking)).toBe('Health: checking…');
    expect(checking).toContain('data-state="checking"');
    expect(checking).toContain('spinner');
    expect(nameOf(render({ error: 'the store is locked' }))).toBe('Health: the check failed');
  });

  it('keeps the counts of a report the store changed since, saying they are older than the changes', () => {
    const html = render({ report: healthReport([found('duplicate_seq')]), stale: true });
    expect(nameOf(html)).toBe('Health: 1 error (checked before the latest changes)');
    expect(html).toContain('health-stale');
  });
});
