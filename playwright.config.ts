// Playwright for the browser-mode e2e suite (and the desktop spec, which
// skips itself where Electron cannot start). scripts/e2e.ts finds the
// Chromium to drive and passes it in RUN_INSPECTOR_CHROMIUM; never
// `npx playwright install` here.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from './scripts/browser-setup.ts';

const executablePath = process.env[CHROMIUM_ENV] || undefined;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // The PostgreSQL server the specs that serve a postgresql:// SOURCE share (e2e/postgres.spec.ts).
  globalSetup: './e2e/postgres-setup.ts',
  outputDir: 'test-results',
  // Every test starts its own `serve` on its own temporary store: two at a time fit two cores.
  workers: 2,
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 860 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: CHROMIUM_ARGS,
    },
  },
});
