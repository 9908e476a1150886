// What the e2e suite and the UI benchmark need before a browser can open the
// app: a Chromium (never downloaded by Playwright here), the fonts its
// screenshots need for the sample's CJK text and emoji, and a current build.
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

/** Debian's fonts for the scripts the sample data holds: without them screenshots show CJK text and emoji as boxes. */
export const SCREENSHOT_FONTS = ['fonts-noto-cjk', 'fonts-noto-color-emoji'];

export interface BrowserSetupProbes {
  /** A Chromium to drive is there already. */
  hasChromium: boolean;
  /** apt-get is there and this process runs as root. */
  canInstall: boolean;
  /** Whether dpkg has the package installed; null where there is no dpkg to ask. */
  isInstalled: (debianPackage: string) => boolean | null;
}

/** What to install (as root with apt-get): Chromium when none was found, the fonts dpkg lacks; else the fonts to name to the user (a missing Chromium is INSTALL_HINT's). */
export function browserSetupPlan({ hasChromium, canInstall, isInstalled }: BrowserSetupProbes): { install: string[]; missingFonts: string[] } {
  const missingFonts = SCREENSHOT_FONTS.filter((name) => isInstalled(name) === false);
  if (!canInstall) return { install: [], missingFonts };
  return { install: [...(hasChromium ? [] : ['chromium']), ...missingFonts], missingFonts: [] };
}

const aptGet = () => ['/usr/bin/apt-get', '/bin/apt-get'].find((file) => existsSync(file)) ?? null;

function dpkgInstalled(debianPackage: string): boolean | null {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', debianPackage], { encoding: 'utf8' });
  if (query.error) return null;
  return query.status === 0 && query.stdout.trim() === 'install ok installed';
}

function installWithApt(apt: string, packages: string[]): boolean {
  console.log(`installing Debian packages for the browser tests (apt-get install -y ${packages.join(' ')})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return run(apt, ['update'], env) === 0 && run(apt, ['install', '-y', ...packages], env) === 0;
}

/**
 * $RUN_INSPECTOR_CHROMIUM, else Playwright's Chromium, else the system's, else
 * apt-get's (as root); null when none. Installs the screenshot fonts beside it
 * where it can, or says they are missing.
 */
export function findChromium(): string | null {
  const given = process.env[CHROMIUM_ENV];
  if (given && !existsSync(given)) return null;
  const found = given || playwrightChromium() || systemChromium();
  const apt = aptGet();
  const { install, missingFonts } = browserSetupPlan({
    hasChromium: found !== null,
    canInstall: apt !== null && process.getuid?.() === 0,
    isInstalled: dpkgInstalled,
  });
  if (install.length > 0 && !installWithApt(apt!, install)) console.error(`apt-get could not install ${install.join(' ')}`);
  if (missingFonts.length > 0) {
    console.warn(`screenshots will show CJK text and emoji as boxes without Debian's ${missingFonts.join(' ')}: sudo apt-get install -y ${missingFonts.join(' ')}`);
  }
  return found ?? systemChromium();
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
