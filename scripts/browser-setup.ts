// What the e2e suite and the UI benchmark need before a browser can open the
// app: a Chromium (never downloaded by Playwright here) and a current build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isBuildStale } from '../src-main/electron/desktop-launch.ts';
import { projectRoot } from '../src-main/handlers/app-info.ts';

const root = projectRoot();
const require = createRequire(path.join(root, 'package.json'));
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const CHROMIUM_ENV = 'RUN_INSPECTOR_CHROMIUM';
export const INSTALL_HINT =
  'no Chromium found — install one with `sudo apt-get install -y chromium` (or set RUN_INSPECTOR_CHROMIUM=/path/to/chrome), then run this again.';

/** The switches every headless run uses: no sandbox (containers run as root), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;
}

/** A Chromium Playwright itself installed, if any. */
function playwrightChromium(): string | null {
  try {
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    const executable = chromium.executablePath();
    return existsSync(executable) ? executable : null;
  } catch {
    return null;
  }
}

const systemChromium = () => SYSTEM_CHROMIUM.find((file) => existsSync(file)) ?? null;

function installWithApt(): string | null {
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].find((file) => existsSync(file));
  if (process.getuid?.() !== 0 || !aptGet) return null;
  console.log('installing Debian Chromium (apt-get install -y chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run(aptGet, ['update'], env) !== 0 || run(aptGet, ['install', '-y', 'chromium'], env) !== 0) return null;
  return systemChromium();
}

/** $RUN_INSPECTOR_CHROMIUM, else Playwright's Chromium, else the system's, else apt-get (as root); null when none. */
export function findChromium(): string | null {
  const given = process.env[CHROMIUM_ENV];
  if (given) return existsSync(given) ? given : null;
  return playwrightChromium() ?? systemChromium() ?? installWithApt();
}

/** Runs `electron-vite build` when out/ is missing or older than the sources; false when the build fails. */
export function buildIfStale(): boolean {
  if (!isBuildStale(root)) return true;
  console.log('building the app (out/ is missing or older than the sources)…');
  const electronVite = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  return run(process.execPath, [electronVite, 'build']) === 0;
}

export function playwrightCli(): string {
  return path.join(path.dirname(require.resolve('@playwright/test/package.json')), 'cli.js');
}
