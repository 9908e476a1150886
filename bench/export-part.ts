// Export and import against python (issue 14, rows "export" and "import"):
// `npm run bench -- --only export`. Each side runs as a user runs it, a child
// process timed from its start to its exit, the app and python taking turns
// so that they meet the same load; the figures are python's median over the
// app's, measured in one run.
//  - export: `run-inspector export STORE --out DIR` (node on the CLI's
//    sources, as `npm run cli` runs it; in-process, as the CLI does) against
//    bench/python/export_anchor.py (sqlite3 and json: one query in
//    (thread_id, run_id, seq) order, rows decoded as DeerFlow's reader does,
//    a file per run as DeerFlow's JsonlRunEventStore writes it). A sample of
//    the files is compared byte for byte: the two must have done the same work.
//  - import: `run-inspector import EXPORT --into DB` against
//    bench/python/import_anchor.py (DeerFlow's DDL, json.loads of each line,
//    DeerFlow's encoding, executemany in one transaction). A sample of the
//    rows is compared column for column.
// On a store bigger than BIG_STORE_EVENTS (the 10M-event one: an export of
// ~11 GB a side, a database of ~13 GB) each turn's outputs are deleted before
// the next turn, outside the timed part, and fewer turns are taken; every turn
// first checks that the disk has room for both sides' outputs.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { log, record } from './figures.ts';
import { runPythonAnchor } from './python-anchor.ts';

const CLI = path.join(import.meta.dirname, '..', 'src-main', 'cli', 'cli.ts');
/** Turns of each side: an export's times vary the more, with the file system's state (others' deletions). */
const EXPORT_TURNS = 5;
const IMPORT_TURNS = 3;
/** Past this many events the outputs of a turn do not all fit on the disk together: each turn's are deleted before the next. */
const BIG_STORE_EVENTS = 2_000_000;
/** On such a store a turn of both sides takes minutes (10M events: ~7 min an export, ~10 an import). */
const BIG_STORE_EXPORT_TURNS = 2;
const BIG_STORE_IMPORT_TURNS = 1;
/** Room left beside both sides' outputs, for the file system's own and others' files. */
const SPARE_BYTES = 2 * 1024 ** 3;
const SAMPLED_FILES = 300;
const SAMPLED_ROWS = 2_000;

/** The middle value, or the mean of the middle two (a big store's two turns). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
}
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const gigabytes = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

/** Wall time of `work` in ms. */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** `run-inspector …` in a child process; rejects with its stderr when it fails. */
function runCli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`run-inspector ${args[0]} exited ${code}: ${err.trim()}`))));
  });
}

/** The run files under a layout's root, by their path from it, sorted. */
function runFiles(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
}

/** Every count-th file, and the biggest, the same in both layouts. */
function compareSample(app: string, python: string): number {
  const files = runFiles(python);
  const appFiles = runFiles(app);
  if (appFiles.length !== files.length) throw new Error(`the app wrote ${appFiles.length} files, python ${files.length}`);
  const biggest = files.reduce((a, b) => (fs.statSync(path.join(python, b)).size > fs.statSync(path.join(python, a)).size ? b : a));
  const step = Math.max(1, Math.floor(files.length / SAMPLED_FILES));
  const sample = new Set([...files.filter((_, i) => i % step === 0), biggest]);
  for (const file of sample) {
    if (!fs.readFileSync(path.join(app, file)).equals(fs.readFileSync(path.join(python, file)))) throw new Error(`${file}: the app's export differs from python's`);
  }
  return sample.size;
}

/** Rows with the same (thread_id, seq) in both databases, column for column. */
function compareRows(app: string, python: string, totalEvents: number): number {
  const [a, p] = [new Database(app, { readonly: true }), new Database(python, { readonly: true })];
  try {
    const count = (db: Database.Database) => db.prepare<[], number>('SELECT count(*) FROM run_events').pluck().get();
    if (count(a) !== totalEvents || count(p) !== totalEvents) throw new Error(`imported ${count(a)} events (python ${count(p)}) of ${totalEvents}`);
    const columns = 'thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at';
    const keys = p.prepare<[number], { thread_id: string; seq: number }>('SELECT thread_id, seq FROM run_events WHERE id % ? = 0').all(Math.max(1, Math.floor(totalEvents / SAMPLED_ROWS)));
    const [rowOfApp, rowOfPython] = [a, p].map((db) => db.prepare(`SELECT ${columns} FROM run_events WHERE thread_id = ? AND seq = ?`));
    for (const { thread_id, seq } of keys) {
      if (JSON.stringify(rowOfApp.get(thread_id, seq)) !== JSON.stringify(rowOfPython.get(thread_id, seq))) throw new Error(`${thread_id} seq ${seq}: the app's import differs from python's`);
    }
    return keys.length;
  } finally {
    a.close();
    p.close();
  }
}

const removeDatabase = (file: string) => ['', '-wal', '-shm', '-journal'].forEach((suffix) => fs.rmSync(file + suffix, { force: true }));

interface Turns {
  what: string;
  turns: number;
  /** A turn of each writes where its number says, so no turn starts by deleting the last one's files (ext4 then searches long for free inodes). */
  app: (turn: number) => Promise<void>;
  python: (turn: number) => Promise<unknown>;
  /** After the first turn of each, with both outputs there: how much of them was found the same. */
  compare: () => number;
  /** After each turn of both. */
  cleanUp: (turn: number) => void;
  /** Where the outputs go, and about how many bytes each side writes in a turn. */
  disk: { folder: string; bytesPerSide: number };
}

interface TurnsTaken {
  app: number;
  python: number;
  compared: number;
  turns: number;
}

/** Every byte of `files` read once, so that neither side meets its input cold from the disk. */
function warm(files: string[]): void {
  const chunk = Buffer.allocUnsafe(1 << 20);
  for (const file of files) {
    const fd = fs.openSync(file, 'r');
    try {
      while (fs.readSync(fd, chunk) > 0);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** What the last turn wrote on the disk before the next starts, so that no run pays for another's writeback (where there is a `sync`). */
const settle = () => spawnSync('sync', { stdio: 'ignore' });

/** Stops the benchmark before a turn whose outputs would fill the disk (a full disk fails either side halfway, or others' work). */
function checkRoom(what: string, turn: number, { folder, bytesPerSide }: Turns['disk']): void {
  const { bavail, bsize } = fs.statfsSync(folder);
  const needed = 2 * bytesPerSide + SPARE_BYTES;
  if (bavail * bsize < needed) {
    throw new Error(`${what} turn ${turn + 1}: ${gigabytes(bavail * bsize)} free in ${folder}, and both sides' outputs need about ${gigabytes(needed)}; free some space and run again`);
  }
}

/** The app and python in turns, first one then the other; their median times and what compare() said. */
async function takeTurns({ what, turns, app, python, compare, cleanUp, disk }: Turns): Promise<TurnsTaken> {
  const times = { app: [] as number[], python: [] as number[] };
  let compared = 0;
  for (let turn = 0; turn < turns; turn++) {
    checkRoom(what, turn, disk);
    const sides = [
      async () => times.app.push(await timed(() => app(turn))),
      async () => times.python.push(await timed(() => python(turn))),
    ];
    for (const side of turn % 2 === 0 ? sides : sides.reverse()) {
      settle();
      await side();
    }
    log(`  ${what} ${turn + 1}: app ${seconds(times.app[turn])}, python ${seconds(times.python[turn])}`);
    if (turn === 0) compared = compare();
    cleanUp(turn);
  }
  return { app: median(times.app), python: median(times.python), compared, turns };
}

/** python's time over the app's, against the target. */
function recordRatio(name: string, atLeast: number, command: string, compared: string, { app, python, turns }: TurnsTaken): void {
  const note = `app ${seconds(app)} (${command}), python ${seconds(python)}; medians of ${turns}; ${compared}`;
  record({ name: `${name}, python's time over the app's`, value: python / app, unit: '×', target: { atLeast }, note });
}

async function benchExportOnly(database: string, scratch: string, totalEvents: number): Promise<void> {
  log('export (run-inspector export against bench/python/export_anchor.py, taking turns)');
  warm([database]);
  const out = (side: string, turn: number) => path.join(scratch, `${side}-${turn}`);
  const big = totalEvents > BIG_STORE_EVENTS;
  const turns = await takeTurns({
    what: 'export',
    turns: big ? BIG_STORE_EXPORT_TURNS : EXPORT_TURNS,
    app: (turn) => runCli(['export', database, '--out', out('app', turn)]),
    python: (turn) => runPythonAnchor('export_anchor.py', [database, out('python', turn)]),
    compare: () => compareSample(out('app', 0), out('python', 0)),
    // Kept where they fit (see Turns.app); on a big store the next turn would not fit beside them.
    cleanUp: (turn) => {
      if (big) ['app', 'python'].forEach((side) => fs.rmSync(out(side, turn), { recursive: true, force: true }));
    },
    // The JSONL layout takes a little less room than the database it is written from.
    disk: { folder: scratch, bytesPerSide: fs.statSync(database).size },
  });
  const name = `export of the ${totalEvents.toLocaleString('en-US')}-event store to DeerFlow's JSONL layout`;
  recordRatio(name, 2, 'run-inspector export', `${turns.compared} files byte-identical`, turns);
}

/** `databaseBytes`: the size of the store the export came from, about what an import of it writes. */
async function benchImportOnly(exportDir: string, scratch: string, totalEvents: number, databaseBytes: number): Promise<void> {
  log('import (run-inspector import against bench/python/import_anchor.py, taking turns)');
  warm(runFiles(exportDir).map((file) => path.join(exportDir, file)));
  const into = (side: string, turn: number) => path.join(scratch, `${side}-${turn}.db`);
  const turns = await takeTurns({
    what: 'import',
    turns: totalEvents > BIG_STORE_EVENTS ? BIG_STORE_IMPORT_TURNS : IMPORT_TURNS,
    app: (turn) => runCli(['import', exportDir, '--into', into('app', turn)]),
    python: (turn) => runPythonAnchor('import_anchor.py', [exportDir, into('python', turn)]),
    compare: () => compareRows(into('app', 0), into('python', 0), totalEvents),
    // A database is one file: deleting it leaves no inodes to search past.
    cleanUp: (turn) => ['app', 'python'].forEach((side) => removeDatabase(into(side, turn))),
    disk: { folder: scratch, bytesPerSide: databaseBytes },
  });
  const name = `import of the ${totalEvents.toLocaleString('en-US')}-event JSONL export into a new database`;
  recordRatio(name, 3, 'run-inspector import', `${turns.compared} rows identical`, turns);
}

/**
 * `database`: the generated store; `exportDir`: its JSONL layout, which the
 * import reads; `scratch`: a folder for the outputs (removed before and after),
 * away from the system's temporary folder, where tests make and delete files
 * all the time.
 */
export async function benchExport(database: string, exportDir: string, totalEvents: number, scratch: string): Promise<void> {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  try {
    await benchExportOnly(database, scratch, totalEvents);
    await benchImportOnly(exportDir, scratch, totalEvents, fs.statSync(database).size);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
