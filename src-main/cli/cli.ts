// `run-inspector` / `npm run cli -- …` (DESIGN.md §5). Runs from the
// sources with no build step and starts in well under a second: only
// argument parsing loads here, each command imports what it needs.
import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { plural } from '../../src-shared/plural.ts';
import { enableDebug } from '../debug-log.ts';
import { sourcePath } from '../store/source-url.ts';
import { callerPath } from './caller-path.ts';
import type { ServerFlags } from './server-flags.ts';

export const USAGE = `Usage:
  run-inspector [SOURCE] [--write]           open the desktop app (SOURCE: .db file, JSONL dir or file, postgresql:// URL)
  run-inspector serve SOURCE [--port N] [--write] [--init]
                                             browser mode; prints the URL with its token
  run-inspector import JSONL --into DB [--write] [--init]
                                             JSONL file or directory into a SQLite store or a PostgreSQL
                                             database; progress on stderr
  run-inspector export SOURCE --out DIR [--thread T] [--run R]
                                             DeerFlow JSONL layout (optionally one thread / one run)
  run-inspector rpc SOURCE|--memory [--write] [--init]
                                             JSON-RPC 2.0, one request per line on stdin, one response per line on stdout
  run-inspector search SOURCE QUERY [--thread T] [--run R] [--limit N] [--json]
                                             events whose text holds every term of QUERY ("a phrase" is one
                                             term), newest first: thread, run, seq, type, time, snippet
  run-inspector check SOURCE [--thread T] [--json]
                                             store health: what DeerFlow's bugs and crashes left (duplicate
                                             seqs, lines that are not records, runs without an end, ...), a
                                             table by kind, then each finding; exit 1 on any error finding,
                                             2 when SOURCE cannot be read
  run-inspector --help | --version

SOURCE is a SQLite database (a .db/.sqlite/.sqlite3 path that does not exist
is created), a DeerFlow JSONL folder (.deer-flow, its parent, or its threads
folder), a single JSONL export file (read-only), or a PostgreSQL database:
postgresql://USER@HOST:PORT/DATABASE (or postgres://), with ?schema=NAME for
DeerFlow's postgres_schema and ?sslmode=require (or verify-full, ...) for TLS;
the password from PGPASSWORD or ~/.pgpass rather than the URL. serve also
takes --memory.

A PostgreSQL database opens read-only: --write lets the command (or the app)
write to it, and without it a write is a READ_ONLY error. --init --write
gives an empty database DeerFlow's tables; a database with tables of its own
is never changed. Both flags mean nothing for a file or folder, which opens as above.

--debug, with any command (or RUN_INSPECTOR_DEBUG=1), writes debug lines on
stderr: each database query slower than 40 ms, by name and time.
`;

/** A mistake in the command line: reported in one line with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

const commands = ['serve', 'rpc', 'import', 'export', 'search', 'check'] as const;
type Command = (typeof commands)[number];
const isCommand = (word: string | undefined): word is Command => commands.includes(word as Command);

type Options = NonNullable<ParseArgsConfig['options']>;

function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Exactly one SOURCE (absolute), or --memory where the command allows it. */
function sourceArgument(positionals: string[], memory: boolean | undefined, command: string): string | null {
  if (memory && positionals.length > 0) throw new UsageError(`${command}: give a SOURCE or --memory, not both`);
  if (memory) return null;
  if (positionals.length !== 1) throw new UsageError(`${command}: expected one SOURCE (or --memory), got ${positionals.length}`);
  return sourcePath(positionals[0], callerPath);
}

/**
 * Whether the first word names a SOURCE rather than a mistyped command: an
 * existing path, a name SOURCE resolution creates a database for, or anything
 * with a path separator (which includes `postgres://` URLs).
 */
async function meansSource(word: string): Promise<boolean> {
  if (word.includes('/') || word.includes(sep) || existsSync(callerPath(word))) return true;
  const { isDatabaseName } = await import('../store/open-source.ts');
  return isDatabaseName(word);
}

/** The search's arguments as the contract checks them, each mistake named by its flag. */
async function searchArguments(query: string, values: { thread?: string; run?: string; limit?: string }) {
  if (values.run !== undefined && values.thread === undefined) throw new UsageError('search: --run needs --thread');
  if (values.limit !== undefined && !/^\d+$/.test(values.limit)) throw new UsageError(`search: --limit: expected a whole number, got ${JSON.stringify(values.limit)}`);
  const { searchParamsSchema } = await import('../../src-shared/search-schema.ts');
  const params = { query, threadId: values.thread, runId: values.run, limit: values.limit === undefined ? undefined : Number(values.limit) };
  const parsed = searchParamsSchema.safeParse(params);
  if (!parsed.success) {
    const flags: Record<string, string> = { query: 'QUERY', threadId: '--thread', runId: '--run', limit: '--limit' };
    throw new UsageError(`search: ${parsed.error.issues.map((issue) => `${flags[String(issue.path[0])] ?? issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** A --thread the contract would take (idSchema). */
async function threadArgument(command: string, thread: string): Promise<void> {
  const { idSchema } = await import('../../src-shared/schemas.ts');
  const parsed = idSchema.safeParse(thread);
  if (!parsed.success) throw new UsageError(`${command}: --thread: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
}

/** What a command may do to a PostgreSQL SOURCE (server-flags.ts). */
const SERVER_FLAGS = { write: { type: 'boolean' }, init: { type: 'boolean' } } as const;

const serverFlags = (values: { write?: boolean; init?: boolean }): ServerFlags => ({ write: values.write ?? false, init: values.init ?? false });

function portArgument(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new UsageError(`--port: expected a port number 0-65535, got ${JSON.stringify(value)}`);
  return port;
}

const DEBUG_FLAG = '--debug';

/** Runs the command; resolves with the process exit code. */
export async function runCli(commandLine: string[]): Promise<number> {
  // Anywhere on the line, for every command (and what it starts: the desktop app, workers).
  if (commandLine.includes(DEBUG_FLAG)) enableDebug();
  const argv = commandLine.filter((arg) => arg !== DEBUG_FLAG);
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    const { packageVersion } = await import('../handlers/app-info.ts');
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = isCommand(argv[0]) ? argv[0] : 'open';
  const args = command === 'open' ? argv : argv.slice(1);
  const help = () => {
    process.stdout.write(USAGE);
    return 0;
  };
  switch (command) {
    case 'rpc': {
      const { values, positionals } = parse(args, { memory: { type: 'boolean' }, ...SERVER_FLAGS });
      if (values.help) return help();
      const { rpcCommand } = await import('./rpc-command.ts');
      return rpcCommand(sourceArgument(positionals, values.memory, 'rpc'), serverFlags(values));
    }
    case 'serve': {
      const { values, positionals } = parse(args, { port: { type: 'string' }, memory: { type: 'boolean' }, ...SERVER_FLAGS });
      if (values.help) return help();
      const source = sourceArgument(positionals, values.memory, 'serve');
      const { serveCommand } = await import('./serve-command.ts');
      return serveCommand(source, portArgument(values.port), serverFlags(values));
    }
    case 'import': {
      const { values, positionals } = parse(args, { into: { type: 'string' }, ...SERVER_FLAGS });
      if (values.help) return help();
      if (positionals.length !== 1) throw new UsageError(`import: expected one JSONL file or folder, got ${positionals.length}`);
      if (!values.into) throw new UsageError('import: --into DB is required');
      const { importCommand } = await import('./import-command.ts');
      return importCommand(sourcePath(positionals[0], callerPath), sourcePath(values.into, callerPath), serverFlags(values));
    }
    case 'export': {
      const { values, positionals } = parse(args, { out: { type: 'string' }, thread: { type: 'string' }, run: { type: 'string' } });
      if (values.help) return help();
      if (positionals.length !== 1) throw new UsageError(`export: expected one SOURCE, got ${positionals.length}`);
      if (!values.out) throw new UsageError('export: --out DIR is required');
      const { exportCommand } = await import('./export-command.ts');
      return exportCommand(sourcePath(positionals[0], callerPath), callerPath(values.out), values.thread, values.run);
    }
    case 'search': {
      const { values, positionals } = parse(args, { thread: { type: 'string' }, run: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
      if (values.help) return help();
      // Several words after SOURCE are one query, as if quoted: its terms are whitespace-separated anyway.
      if (positionals.length < 2) throw new UsageError(`search: expected a SOURCE and a QUERY, got ${plural(positionals.length, 'argument')}`);
      const { query, ...options } = await searchArguments(positionals.slice(1).join(' '), values);
      const { searchCommand } = await import('./search-command.ts');
      return searchCommand(sourcePath(positionals[0], callerPath), query, { ...options, json: values.json ?? false });
    }
    case 'check': {
      const { values, positionals } = parse(args, { thread: { type: 'string' }, json: { type: 'boolean' } });
      if (values.help) return help();
      if (positionals.length !== 1) throw new UsageError(`check: expected one SOURCE, got ${positionals.length}`);
      if (values.thread !== undefined) await threadArgument('check', values.thread);
      const { checkCommand } = await import('./check-command.ts');
      return checkCommand(sourcePath(positionals[0], callerPath), { threadId: values.thread, json: values.json ?? false });
    }
    case 'open': {
      const { values, positionals } = parse(args, { write: SERVER_FLAGS.write });
      if (values.help || positionals[0] === 'help') return help();
      const [source] = positionals;
      if (source !== undefined && !(await meansSource(source))) {
        throw new UsageError(`unknown command '${source}' (commands: ${commands.join(', ')}; or a SOURCE to open)`);
      }
      if (positionals.length > 1) throw new UsageError(`expected one SOURCE, got ${positionals.length}`);
      const { openAppCommand } = await import('./open-app-command.ts');
      return openAppCommand(source === undefined ? null : sourcePath(source, callerPath), { write: values.write ?? false });
    }
  }
}
async function main(): Promise<void> {
  let code: number;
  try {
    code = await runCli(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`run-inspector: ${error.message}\nTry 'run-inspector --help'.\n`);
      code = 2;
    } else {
      process.stderr.write(`run-inspector: error: ${error instanceof Error ? error.message : String(error)}\n`);
      code = 1;
    }
  }
  // Exit once everything written is flushed: a watcher or timer left by a
  // library must never keep a finished command alive (rpc ends with stdin).
  process.stdout.write('', () => process.exit(code));
}

if (import.meta.main) await main();
