// Writes a generated store to disk, for benchmarks and manual testing:
//   node src-main/generator/generate-cli.ts --events N --threads T [--big-thread N]
//        [--long-run N] [--seed S] [--format sqlite|jsonl] --out PATH
import { parseArgs } from 'node:util';
import { plural } from '../../src-shared/plural.ts';
import { generateEvents, planThreads, type GenerateOptions } from './generate.ts';
import { writeJsonlLayout, writeSqliteStore } from './write-store.ts';

const USAGE = 'usage: generate-cli.ts --out PATH [--events N] [--threads T] [--big-thread N] [--long-run N] [--seed S] [--format sqlite|jsonl]';

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(n)) throw new Error(`--${name} must be an integer, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      threads: { type: 'string', default: '10' },
      'big-thread': { type: 'string' },
      'long-run': { type: 'string' },
      seed: { type: 'string', default: '1' },
      format: { type: 'string', default: 'sqlite' },
      out: { type: 'string' },
    },
  });
  if (!values.out || (values.format !== 'sqlite' && values.format !== 'jsonl')) throw new Error(USAGE);
  const options: GenerateOptions = {
    seed: integer(values.seed, 'seed') ?? 1,
    threads: integer(values.threads, 'threads') ?? 10,
    totalEvents: integer(values.events, 'events'),
    bigThreadEvents: integer(values['big-thread'], 'big-thread'),
    longRunEvents: integer(values['long-run'], 'long-run'),
  };
  const plans = planThreads(options);
  const started = performance.now();
  // A counter rewritten in place is for a terminal; a log gets the summary line only.
  const onProgress = process.stderr.isTTY ? (written: number) => process.stderr.write(`\r${plural(written, 'event', 'events', (n) => n.toLocaleString('en-US'))} written`) : undefined;
  const written =
    values.format === 'sqlite'
      ? await writeSqliteStore(values.out, generateEvents(options), plans, { onProgress })
      : writeJsonlLayout(values.out, generateEvents(options), { onProgress });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (onProgress) process.stderr.write('\n');
  console.log(`${plural(written, 'event')} in ${plural(plans.length, 'thread')} written to ${values.out} (${values.format}, ${seconds} s)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
