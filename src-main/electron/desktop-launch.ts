// What `npm start` and the Electron e2e test decide before launching the
// desktop app: is the build current, and can Electron start here at all.
// Never `require('electron')` from plain node: its index.js downloads the
// binary when it is missing, which hangs on a machine with no internet.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../handlers/app-info.ts';

/** The files `electron-vite build` writes last; the build is current when all exist and are newer than every input. */
export const buildOutputs = ['out/main/main.js', 'out/preload/preload.cjs', 'out/renderer/index.html'];
const buildInputs = ['src-main', 'src-shared', 'src-renderer', 'electron.vite.config.ts', 'package.json'];

function newestModification(file: string): number {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (stats === undefined) return 0;
  if (!stats.isDirectory()) return /\.(test|spec)\.tsx?$/.test(file) ? 0 : stats.mtimeMs;
  return readdirSync(file).reduce((newest, name) => Math.max(newest, newestModification(path.join(file, name))), 0);
}

export function isBuildStale(root: string): boolean {
  const outputs = buildOutputs.map((file) => statSync(path.join(root, file), { throwIfNoEntry: false }));
  if (outputs.some((stats) => stats === undefined)) return true;
  const built = Math.min(...outputs.map((stats) => stats!.mtimeMs));
  return buildInputs.some((input) => newestModification(path.join(root, input)) > built);
}

export function electronPackageDir(root: string): string {
  return path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
}

/** The Electron executable the `electron` package would run, if it is on disk (resolved as its index.js does). */
export function electronBinary(packageDir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const pathFile = path.join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, executable ?? 'electron')
    : executable === null
      ? null
      : path.join(packageDir, 'dist', executable);
  return binary !== null && existsSync(binary) ? binary : null;
}

export interface LaunchEnvironment {
  binary: string | null;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** process.getuid?.(): Chromium will not run as root with its sandbox on. */
  uid: number | undefined;
}

/** Why the desktop window cannot open here, in one sentence; null when it can. */
export function electronUnavailableReason({ binary, platform, env, uid }: LaunchEnvironment): string | null {
  if (binary === null) {
    return "Electron's binary is not installed (Electron downloads it on first launch, which needs the internet; `npx install-electron` fetches it)";
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return 'There is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  }
  if (platform === 'linux' && uid === 0) {
    return 'Electron will not run as root with its sandbox enabled';
  }
  return null;
}

export function currentLaunchEnvironment(root: string = projectRoot()): LaunchEnvironment {
  return { binary: electronBinary(electronPackageDir(root)), platform: process.platform, env: process.env, uid: process.getuid?.() };
}
