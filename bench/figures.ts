// What every benchmark prints: each figure as it is measured (stderr), then
// a table of figure, value, target and pass / MISS (stdout).

export interface Target {
  atMost?: number;
  atLeast?: number;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: Target;
  note?: string;
}

export const log = (line: string) => process.stderr.write(`${line}\n`);

const figures: Figure[] = [];

export function record(figure: Figure): void {
  figures.push(figure);
  log(`  ${figure.name}: ${format(figure.value, figure.unit)}`);
}

function format(value: number, unit: string): string {
  if (unit === 'ms') return `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
  // A ratio near its target (≤ 1 ×, ≤ 1.3 ×) means nothing rounded to a whole number.
  if (unit === '×') return `${value.toFixed(2)} ×`;
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}

function verdict({ value, target }: Figure): string {
  if (!target) return '';
  const pass = (target.atMost === undefined || value <= target.atMost) && (target.atLeast === undefined || value >= target.atLeast);
  return pass ? 'pass' : 'MISS';
}

function targetText({ target, unit }: Figure): string {
  if (!target) return '—';
  const [sign, bound] = target.atMost !== undefined ? ['≤', target.atMost] : ['≥', target.atLeast ?? 0];
  return `${sign} ${bound.toLocaleString('en-US')} ${unit}`;
}

export function printTable(): void {
  const rows = figures.map((f) => [f.name, format(f.value, f.unit), targetText(f), verdict(f), f.note ?? '']);
  const header = ['figure', 'value', 'target', 'result', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
