// `npm start [-- SOURCE [--write]]`: the desktop app where Electron can start, else
// browser mode (`serve`) on the same source, or on the sample store.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { callerPath } from '../src-main/cli/caller-path.ts';
import { currentLaunchEnvironment, electronUnavailableReason, isBuildStale } from '../src-main/electron/desktop-launch.ts';
import { projectRoot } from '../src-main/handlers/app-info.ts';
import { sampleStore } from '../src-main/handlers/sample-store.ts';
import { sourcePath } from '../src-main/store/source-url.ts';

const usage = 'usage: npm start [-- SOURCE [--write]]   (SOURCE: a .db file, a JSONL folder or a .jsonl file, a postgresql:// URL)';

/** `--write`: the app may write to a PostgreSQL SOURCE (it means nothing for a file), passed on to the app or to `serve`. */
const WRITE = '--write';

function sourceArgument(args: string[]): string | null {
  if (args.some((arg) => arg === '-h' || arg === '--help')) {
    console.log(usage);
    process.exit(0);
  }
  if (args.length > 1) {
    console.error(usage);
    process.exit(2);
  }
  // npm runs scripts from the package folder; a relative SOURCE means the caller's folder.
  return args.length === 0 ? null : sourcePath(args[0], callerPath);
}

function build(): void {
  console.log('Building the app (out/ is missing or older than the sources)…');
  const electronVite = path.join(path.dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [electronVite, 'build'], { cwd: projectRoot(), stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The build failed (see above).');
    process.exit(result.status ?? 1);
  }
}

/** Runs until the child ends, passing Ctrl+C / kill on, and exits with its status. */
function follow(child: ChildProcess): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const write = process.argv.includes(WRITE);
const source = sourceArgument(process.argv.slice(2).filter((arg) => arg !== WRITE));
const flags = write ? [WRITE] : [];
if (isBuildStale(projectRoot())) build();

const launch = currentLaunchEnvironment();
const reason = electronUnavailableReason(launch);
if (reason === null) {
  // The app folder (package.json's "main" is out/main/main.js), then the source for main.ts to open.
  // ELECTRON_RUN_AS_NODE (set by some tools) would make the binary a plain node.
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: undefined };
  follow(spawn(launch.binary!, [projectRoot(), ...(source === null ? [] : [source]), ...flags], { stdio: 'inherit', env }));
} else {
  console.log(`${reason}: starting browser mode instead.`);
  // Browser mode needs a file on disk: the same sample `serve` opens.
  const served = source ?? (await sampleStore());
  // `serve` prints the URL (with its access token) on a line of its own.
  follow(spawn(process.execPath, [path.join(projectRoot(), 'src-main/cli/cli.ts'), 'serve', served, ...flags], { stdio: 'inherit' }));
}
