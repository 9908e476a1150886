// `npm test`'s last step (and `npm run test:e2e`): finds a Chromium, builds
// the app when the sources are newer than out/, then runs the Playwright
// suite in browser mode. Extra arguments go to `playwright test`.
import { buildIfStale, CHROMIUM_ENV, findChromium, INSTALL_HINT, playwrightCli, run } from './browser-setup.ts';

const chromium = findChromium();
if (!chromium) {
  console.error(`e2e: ${INSTALL_HINT}`);
  process.exit(1);
}
if (!buildIfStale()) {
  console.error('e2e: `electron-vite build` failed');
  process.exit(1);
}
process.exit(run(process.execPath, [playwrightCli(), 'test', ...process.argv.slice(2)], { ...process.env, [CHROMIUM_ENV]: chromium }));
