// `npm test`'s last step (and `npm run test:e2e`): finds a Chromium, builds
// the app when the sources are newer than out/, then runs the Playwright
// suite in browser mode. Extra arguments go to `playwright test`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isBuildStale } from '../src-main/electron/desktop-launch.ts';
import { projectRoot } from '../src-main/handlers/app-info.ts';

const root = projectRoot();
const require = createRequire(path.join(root, 'package.json'));
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const INSTALL_HINT = 'e2e: no Chromium found — install one with `sudo apt-get install -y chromium` (or set RUN_INSPECTOR_CHROMIUM=/path/to/chrome), then run `npm run test:e2e`.';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  return result.status ?? 1;
}

/** A Chromium Playwright itself installed (never installed from here), if any. */
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
  console.log('e2e: installing Debian Chromium (apt-get install -y chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run(aptGet, ['update'], env) !== 0 || run(aptGet, ['install', '-y', 'chromium'], env) !== 0) return null;
  return systemChromium();
}

function findChromium(): string | null {
  const given = process.env.RUN_INSPECTOR_CHROMIUM;
  if (given) return existsSync(given) ? given : null;
  return playwrightChromium() ?? systemChromium() ?? installWithApt();
}

const chromium = findChromium();
if (!chromium) {
  console.error(INSTALL_HINT);
  process.exit(1);
}

if (isBuildStale(root)) {
  console.log('e2e: building the app (out/ is missing or older than the sources)…');
  const electronVite = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  if (run(process.execPath, [electronVite, 'build']) !== 0) {
    console.error('e2e: `electron-vite build` failed');
    process.exit(1);
  }
}

const playwrightCli = path.join(path.dirname(require.resolve('@playwright/test/package.json')), 'cli.js');
process.exit(run(process.execPath, [playwrightCli, 'test', ...process.argv.slice(2)], { ...process.env, RUN_INSPECTOR_CHROMIUM: chromium }));
