// The page on a PostgreSQL source (issue 13), in browser mode on the run's
// own server (postgres-setup.ts): a URL typed in the Open dialog, the
// password dialog the server's AUTH answer brings up (Enter connects, Escape
// cancels, a refused password said in it), the recent entry, and a delete or
// an import on a server open read-only, which asks first to switch it to
// read-write: refused by `serve` without --write, done with it (on a database
// of the test's own), until the source is opened anew.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { SWITCH_TO_WRITE_QUESTION } from '../src-shared/contract.ts';
import { findShapes, required } from '../test/support/shapes.ts';
import { formatted, messageSeqs, runEvents, runIds, threadEvents } from './expectations.ts';
import { expect, saveScreenshot } from './fixtures.ts';
import { PasswordDialog, PostgresDialog } from './pages/postgres-dialogs.ts';
import { test } from './server-database.ts';

test('opens a PostgreSQL database by its URL: the password dialog asks, refuses a wrong password in place, and the right one opens it read-only', async ({
  inspector,
  served,
  serverDatabase,
  page,
  expectRefusals,
}) => {
  // Each answer that wants a password is AUTH (422), which the page turns into the dialog.
  expectRefusals({ method: 'openDatabaseUrl', status: 422 });
  const postgres = new PostgresDialog(page);
  const password = new PasswordDialog(page);

  await inspector.openButton().click();
  await inspector.openDialog.postgresButton().click();
  await expect(inspector.openDialog.dialog()).toHaveCount(0);
  await expect(postgres.urlField()).toHaveAttribute('placeholder', 'postgresql://user@host:5432/deerflow?schema=…');
  await postgres.submit(serverDatabase.typed);

  await expect(password.dialog()).toBeVisible();
  await expect(password.dialog()).toHaveAttribute('aria-modal', 'true');
  await expect(password.reason()).toContainText(`${serverDatabase.displayUrl}: the server asks for a password`);
  await expect(password.passwordField()).toBeFocused();
  // Browser mode has no keychain: nothing to tick, and it says how long the password lasts.
  await expect(password.rememberBox()).toHaveCount(0);
  await expect(password.dialog()).toContainText('kept only while this server runs');
  await saveScreenshot(page, 'postgres-password');

  await password.submit(`${serverDatabase.password}-wrong`);
  await expect(password.refusal()).toContainText('refused the login');
  await expect(password.refusal()).not.toContainText(serverDatabase.password);
  await expect(password.passwordField()).toBeEnabled();

  // Escape cancels the password only: the URL stays to open again.
  await password.cancelWithEscape();
  await expect(postgres.dialog()).toBeVisible();
  await expect(inspector.source.path()).toHaveText(`${served.dir}/store.db`);
  await postgres.openButton().click();
  await password.submit(serverDatabase.password);

  await expect(postgres.dialog()).toHaveCount(0);
  await expect(inspector.source.kind()).toHaveText('PostgreSQL');
  await expect(inspector.source.path()).toHaveText(serverDatabase.displayUrl);
  await expect(inspector.source.readOnlyFlag()).toBeVisible();
  await expect(inspector.threads.options()).toHaveCount(serverDatabase.plans.length);
  const plan = serverDatabase.plans[0];
  await expect(inspector.threads.option(plan.thread_id)).toContainText(`${messageSeqs(serverDatabase.events, plan.thread_id).length} msgs`);

  // The recent entry is the display URL; the password typed lasts for this server's session, so it reopens without asking.
  const recent = await served.call('recentSources', {});
  expect(recent.map((entry) => [entry.path, entry.kind, entry.exists])).toEqual([[serverDatabase.displayUrl, 'postgres', true]]);
  expect(JSON.stringify(recent)).not.toContain(serverDatabase.password);
  await inspector.openButton().click();
  await inspector.openDialog.open(`${served.dir}/store.db`);
  await expect(inspector.source.kind()).toHaveText('SQLite');
  await inspector.openButton().click();
  await inspector.openDialog.recentItem(serverDatabase.displayUrl).click();
  await expect(inspector.openDialog.dialog()).toHaveCount(0);
  await expect(password.dialog()).toHaveCount(0);
  await expect(inspector.source.path()).toHaveText(serverDatabase.displayUrl);
  await expect(inspector.source.readOnlyFlag()).toBeVisible();
});

test('a delete on a read-only server asks first to switch it to read-write; `serve` without --write refuses the switch naming the flag, and nothing is deleted', async ({
  inspectSource,
  serverDatabase,
  page,
  expectRefusals,
}) => {
  expectRefusals({ method: 'allowWrites', status: 409 });
  const inspector = await inspectSource(serverDatabase.url);
  const { thread, threads, deleteDialog } = inspector;
  const plan = serverDatabase.plans[1];
  const messages = messageSeqs(serverDatabase.events, plan.thread_id).length;
  await expect(inspector.source.readOnlyFlag()).toBeVisible();

  await threads.open(plan.thread_id);
  // Offered, not disabled as on a read-only file: the confirmation asks to switch.
  await expect(thread.deleteThreadButton()).toBeEnabled();
  await thread.deleteThreadButton().click();
  await expect(deleteDialog.switchQuestion()).toHaveText(SWITCH_TO_WRITE_QUESTION);
  await expect(deleteDialog.dialog().getByRole('button', { name: /^Delete thread$/ })).toHaveCount(0);
  // Read-only, the server's run records are counted all the same: the switch comes before any delete. DeerFlow's writer left no runs rows.
  await expect(deleteDialog.recordsBox()).toBeChecked();
  await expect(deleteDialog.recordsCount()).toHaveText('0 runs rows and its threads_meta row');
  await saveScreenshot(page, 'postgres-delete-switch');
  await deleteDialog.switchAndDeleteButton().click();

  await expect(deleteDialog.error()).toContainText(`${serverDatabase.displayUrl} stays read-only`);
  await expect(deleteDialog.error()).toContainText('--write');
  await expect(inspector.source.readOnlyFlag()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(deleteDialog.dialog()).toHaveCount(0);
  await expect(threads.option(plan.thread_id)).toContainText(`${messages} msgs`);
  expect(await eventsOnServer(serverDatabase.url, plan.thread_id)).toBe(serverDatabase.events.filter((event) => event.thread_id === plan.thread_id).length);
});

test('an import into a read-only server asks first to switch it to read-write; `serve` without --write refuses the switch, importing nothing', async ({
  inspectSource,
  serverDatabase,
  tempDir,
  expectRefusals,
}) => {
  expectRefusals({ method: 'allowWrites', status: 409 });
  const file = writeExport(tempDir);
  const inspector = await inspectSource(serverDatabase.url);
  const { importDialog } = inspector;

  await inspector.importButton().click();
  await importDialog.pathField().fill(file);
  await expect(importDialog.switchQuestion()).toHaveText(SWITCH_TO_WRITE_QUESTION);
  await expect(importDialog.startButton()).toHaveCount(0);
  await importDialog.switchAndImportButton().click();

  await expect(importDialog.error()).toContainText(`Import failed: ${serverDatabase.displayUrl} stays read-only`);
  await expect(importDialog.error()).toContainText('--write');
  expect(await eventsOnServer(serverDatabase.url, IMPORTED_THREAD)).toBe(0);
});

test('`serve --write` opens the server read-only and lets the page switch it: the first delete asks and switches, the next delete and an import write at once', async ({
  writableDatabase,
  inspectSource,
  tempDir,
  page,
}) => {
  const { url, events, plans } = writableDatabase;
  const inspector = await inspectSource(url, ['--write']);
  const { thread, threads, deleteDialog, importDialog } = inspector;
  const multiRunThread = findShapes(events).plainMultiRunThreadId;
  const deleted = required(plans.find((plan) => plan.thread_id !== multiRunThread), 'a thread besides the one of several runs');
  await expect(inspector.source.readOnlyFlag()).toBeVisible();

  // The thread: asked first, then switched and deleted in one go.
  await threads.open(deleted.thread_id);
  await thread.deleteThreadButton().click();
  await expect(deleteDialog.switchQuestion()).toHaveText(SWITCH_TO_WRITE_QUESTION);
  expect(await deleteDialog.countText()).toContain(`${formatted(threadEvents(events, deleted.thread_id).length)} events`);
  await deleteDialog.switchAndDeleteButton().click();
  await expect(deleteDialog.dialog()).toHaveCount(0);
  await expect(inspector.source.readOnlyFlag()).toHaveCount(0);
  // Its threads_meta row went with it (the box, checked as the dialog opened), as DeerFlow deletes: the thread leaves the list.
  await expect(threads.option(deleted.thread_id)).toHaveCount(0);
  await expect(inspector.notice()).toContainText(`Deleted thread ${deleted.thread_id}: ${formatted(threadEvents(events, deleted.thread_id).length)} events and its threads_meta row.`);
  await expect(inspector.noThreadOpen()).toBeVisible();
  expect(await eventsOnServer(url, deleted.thread_id)).toBe(0);

  // A run of another thread: the source is read-write now, so the plain confirmation.
  const runs = runIds(events, multiRunThread);
  const run = runEvents(events, multiRunThread, runs[0]);
  await threads.open(multiRunThread);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await thread.deleteRunButton(runs[0]).click();
  expect(await deleteDialog.countText()).toContain(`${formatted(run.length)} events`);
  await expect(deleteDialog.switchQuestion()).toHaveCount(0);
  await deleteDialog.confirm();
  await expect(thread.runRows()).toHaveCount(runs.length - 1);
  await expect(threads.option(multiRunThread)).toContainText(`${runs.length - 1} runs`);
  expect(await eventsOnServer(url, multiRunThread, runs[0])).toBe(0);
  expect(await eventsOnServer(url, multiRunThread)).toBe(threadEvents(events, multiRunThread).length - run.length);

  // An import into it goes straight in.
  await inspector.importButton().click();
  await importDialog.pathField().fill(writeExport(tempDir));
  await expect(importDialog.switchQuestion()).toHaveCount(0);
  await importDialog.startButton().click();
  await expect(importDialog.count('imported')).toHaveText('1');
  await saveScreenshot(page, 'postgres-import-after-switch');
  await importDialog.closeButton().click();
  await expect(threads.option(IMPORTED_THREAD)).toContainText('1 msg');
  expect(await eventsOnServer(url, IMPORTED_THREAD)).toBe(1);
});

test('a switch to read-write lasts while the source stays open: reopened from the recent list, the server is read-only again and the next delete asks again', async ({
  writableDatabase,
  inspectSource,
  page,
  expectRefusals,
}) => {
  // The page's URL carries no password: the server's AUTH answer brings up the dialog once.
  expectRefusals({ method: 'openDatabaseUrl', status: 422 });
  const { url, typed, displayUrl, password, events, plans } = writableDatabase;
  const inspector = await inspectSource(url, ['--write']);
  const { thread, threads, deleteDialog } = inspector;
  // The page opens it, which puts it on the recent list (the command line's SOURCE is not).
  await inspector.openButton().click();
  await inspector.openDialog.postgresButton().click();
  await new PostgresDialog(page).submit(typed);
  await new PasswordDialog(page).submit(password);
  await expect(inspector.source.path()).toHaveText(displayUrl);
  await expect(inspector.source.readOnlyFlag()).toBeVisible();

  const [deleted, next] = plans;
  await threads.open(deleted.thread_id);
  await thread.deleteThreadButton().click();
  await deleteDialog.switchAndDeleteButton().click();
  await expect(deleteDialog.dialog()).toHaveCount(0);
  await expect(inspector.source.readOnlyFlag()).toHaveCount(0);

  await inspector.openButton().click();
  await inspector.openDialog.recentItem(displayUrl).click();
  await expect(inspector.openDialog.dialog()).toHaveCount(0);
  await expect(inspector.source.readOnlyFlag()).toBeVisible();
  await threads.open(next.thread_id);
  await thread.deleteThreadButton().click();
  await expect(deleteDialog.switchQuestion()).toHaveText(SWITCH_TO_WRITE_QUESTION);
  await page.keyboard.press('Escape');
  await expect(deleteDialog.dialog()).toHaveCount(0);
  expect(await eventsOnServer(url, next.thread_id)).toBe(threadEvents(events, next.thread_id).length);
});

const IMPORTED_THREAD = 'imported-thread';

/** A JSONL export of one message in a thread of its own, in `dir`. */
function writeExport(dir: string): string {
  const file = path.join(dir, 'export.jsonl');
  const record = { thread_id: IMPORTED_THREAD, run_id: 'run-1', event_type: 'llm.human.input', category: 'message', content: 'hi', metadata: {}, seq: 1, created_at: '2026-04-04T00:49:25.123456+00:00' };
  writeFileSync(file, `${JSON.stringify(record)}\n`);
  return file;
}

/**
 * The thread's rows (or its run's) as the server has them, on a connection of its own that is closed before the
 * test ends (an idle one in the database's pool could still be closing when its DROP ends it).
 */
async function eventsOnServer(url: string, threadId: string, runId?: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counted = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM run_events WHERE thread_id = $1 AND ($2::text IS NULL OR run_id = $2)', [threadId, runId ?? null]);
    return counted.rows[0].n;
  } finally {
    await client.end();
  }
}
