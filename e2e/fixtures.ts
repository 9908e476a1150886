// One fixture per test: a generated SQLite store in its own temporary
// folder, `run-inspector serve` on a free port as a child process, the page
// opened at the URL it printed, and a guard that fails the test on any
// uncaught page error or console error (ResizeObserver loop reports included).
// A test that needs another source (a JSONL folder, a new database) makes it
// in `tempDir` and opens it with `inspectSource`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ConsoleMessage, expect, test as base, type Page } from '@playwright/test';
import { browserProtocol, type BrowserPageMethodName, type ParamsOf, type ResultOf } from '../src-shared/contract.ts';
import type { EventInput, RunEvent } from '../src-shared/types.ts';
import { E2E_STORE, generateEvents, type GenerateOptions, planThreads, type ThreadPlan } from '../src-main/generator/generate.ts';
import { writeSqliteStore } from '../src-main/generator/write-store.ts';
import { openSqliteStore } from '../src-main/store/sqlite/sqlite-store.ts';
import { LiveWriterProcess, type WriterReply } from '../test/support/live-writer-process.ts';
import { InspectorPage } from './pages/inspector-page.ts';
import { type ServeProcess, startServe } from './serve-process.ts';

export interface ServedStore {
  /** The URL `serve` printed, token included. */
  url: string;
  origin: string;
  token: string;
  /** The test's own temporary folder (the store is `store.db` in it). */
  dir: string;
  plans: ThreadPlan[];
  /** Every generated event, for expectations. */
  events: RunEvent[];
  /** Calls browser mode's API the way a script would (bearer token): the page's methods only, no writes. */
  call<M extends BrowserPageMethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Writes events into the database file, as an agent or a script does beside the app (the page cannot); the page sees them on its next refresh. */
  write(events: EventInput[]): Promise<RunEvent[]>;
}

/** A DeerFlow writer process beside the app (test/support/live-writer.ts). */
export interface LiveWriter {
  /** Sends one command; resolves once it is committed. A failed write (SQLITE_BUSY past the writer's own busy timeout among them) fails the test. */
  send(command: object): Promise<WriterReply & { at: number }>;
}

/** An answer of browser mode's API with a 4xx status that a test provokes on purpose (a typo'd path is 404 NOT_FOUND). */
export interface ExpectedRefusal {
  method: BrowserPageMethodName;
  status: number;
}

interface Fixtures {
  /** A temporary folder of the test's own, removed after it. */
  tempDir: string;
  /** Starts `serve` on a path (a JSONL folder or file, a database), with serve's `flags` (`--write`) and `env` added, in `tempDir` as its working folder; stopped after the test. */
  serveSource: (source: string, flags?: readonly string[], env?: NodeJS.ProcessEnv) => Promise<ServeProcess>;
  /** `serveSource`, then the page opened on it, ready. */
  inspectSource: (source: string, flags?: readonly string[]) => Promise<InspectorPage>;
  /** Starts a DeerFlow writer process on a database (`sqlite`) or a JSONL root (`jsonl`), a relative path in `tempDir`; closed after the test. */
  startWriter: (kind: 'sqlite' | 'jsonl', target: string) => Promise<LiveWriter>;
  storeOptions: GenerateOptions;
  served: ServedStore;
  pageErrors: string[];
  /**
   * Declares the refusals this test provokes: Chromium logs each 4xx answer as a failed load,
   * which fails the test unless it is declared here; any other (an unexpected 400 or 403) still does.
   */
  expectRefusals: (...refusals: ExpectedRefusal[]) => void;
  /** What expectRefusals was told, for pageErrors to judge the console by. */
  declaredRefusals: ExpectedRefusal[];
  inspector: InspectorPage;
}

/**
 * Chromium logs every API answer with a 4xx status as a failed load: a refusal the test provoked
 * and the page shows is the API working, not an error of the page. Only declared ones pass.
 */
/** A search superseded by a newer one while typing ends as CANCELLED (409), which the page drops on purpose: expected in every test. */
const ALWAYS_EXPECTED: readonly ExpectedRefusal[] = [{ method: 'search', status: 409 }];

function isExpectedRefusal(message: ConsoleMessage, declared: readonly ExpectedRefusal[]): boolean {
  const expected = [...ALWAYS_EXPECTED, ...declared];
  const status = /^Failed to load resource: the server responded with a status of (4\d\d)\b/.exec(message.text())?.[1];
  const { url } = message.location();
  if (status === undefined || url === '') return false;
  const { pathname } = new URL(url);
  return expected.some((refusal) => pathname === `${browserProtocol.apiPrefix}${refusal.method}` && Number(status) === refusal.status);
}

/** Reports uncaught errors the page's own `error` event sees (e.g. ResizeObserver loops), which are not exceptions. */
function reportWindowErrors(page: Page) {
  return page.addInitScript(() => {
    window.addEventListener('error', (event) => console.error(`window error event: ${event.message}`));
    window.addEventListener('unhandledrejection', (event) => console.error(`unhandled rejection: ${String(event.reason)}`));
  });
}

export const test = base.extend<Fixtures>({
  storeOptions: [E2E_STORE, { option: true }],

  tempDir: async ({}, use) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ri-e2e-'));
    try {
      await use(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  // Depends on tempDir, so every server it started is stopped before the folder is removed.
  serveSource: async ({ tempDir, page }, use) => {
    const started: ServeProcess[] = [];
    try {
      await use(async (source, flags, env) => {
        const serve = await startServe(source, tempDir, flags, env);
        started.push(serve);
        return serve;
      });
    } finally {
      // The page goes first: a refresh still in flight after the last assertion (a push that came late)
      // would fail with ERR_CONNECTION_RESET when its server stops, and count as a page error.
      await page.close();
      await Promise.all(started.map((serve) => serve.stop()));
    }
  },

  startWriter: async ({ tempDir }, use) => {
    const started: LiveWriterProcess[] = [];
    try {
      await use(async (kind, target) => {
        const writer = await LiveWriterProcess.start(kind, path.resolve(tempDir, target));
        started.push(writer);
        return {
          send: async (command) => {
            const reply = await writer.send(command);
            expect(reply.ok, `the writer's ${JSON.stringify(command)}: ${reply.error}`).toBe(true);
            return reply as WriterReply & { at: number };
          },
        };
      });
    } finally {
      // Before tempDir is removed: its connection is on a file in it.
      await Promise.all(started.map((writer) => writer.close()));
    }
  },

  inspectSource: async ({ page, serveSource }, use) => {
    await use(async (source, flags) => {
      const serve = await serveSource(source, flags);
      const inspector = new InspectorPage(page);
      await inspector.open(serve.url);
      return inspector;
    });
  },

  served: async ({ storeOptions, tempDir, serveSource }, use) => {
    const db = path.join(tempDir, 'store.db');
    const plans = planThreads(storeOptions);
    await writeSqliteStore(db, generateEvents(storeOptions), plans.map(({ thread_id, display_name }) => ({ thread_id, display_name })));
    const { url, origin, token } = await serveSource(db);
    const call = async <M extends BrowserPageMethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
      const response = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(params),
      });
      const body = (await response.json()) as { result?: ResultOf<M>; error?: { message: string } };
      if (body.error) throw new Error(`${method}: ${body.error.message}`);
      return body.result as ResultOf<M>;
    };
    const write = async (events: EventInput[]) => {
      const store = openSqliteStore(db, { create: false });
      try {
        return await store.putBatch(events);
      } finally {
        await store.close();
      }
    };
    await use({ url, origin, token, dir: tempDir, plans, events: [...generateEvents(storeOptions)], call, write });
  },

  declaredRefusals: async ({}, use) => {
    await use([]);
  },

  expectRefusals: async ({ declaredRefusals }, use) => {
    await use((...refusals) => declaredRefusals.push(...refusals));
  },

  pageErrors: [
    async ({ page, declaredRefusals }, use) => {
      const errors: string[] = [];
      const consoleErrors: ConsoleMessage[] = [];
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message);
      });
      await reportWindowErrors(page);
      await use(errors);
      // Judged at the end: a test may declare a refusal after the call that provoked it.
      for (const message of consoleErrors) if (!isExpectedRefusal(message, declaredRefusals)) errors.push(`console: ${message.text()} (${message.location().url})`);
      expect(errors, 'the page raised errors').toEqual([]);
    },
    { auto: true },
  ],

  inspector: async ({ page, served }, use) => {
    const inspector = new InspectorPage(page);
    await inspector.open(served.url);
    await use(inspector);
  },
});

export { expect };

/** Saves a screenshot of the current screen as an artefact of the test (under test-results/). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}
