// The page on a PostgreSQL source (issue 13), in browser mode on the run's
// own server (postgres-setup.ts): a URL typed in the Open dialog, the
// password dialog the server's AUTH answer brings up (Enter connects, Escape
// cancels, a refused password said in it), the recent entry, and a delete or
// an import on a server open read-only, which asks first to switch it to
// read-write (refused by `serve` without --write).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { SWITCH_TO_WRITE_QUESTION } from '../src-shared/contract.ts';
import { messageSeqs } from './expectations.ts';
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
  const file = path.join(tempDir, 'export.jsonl');
  const record = { thread_id: 'imported-thread', run_id: 'run-1', event_type: 'llm.human.input', category: 'message', content: 'hi', metadata: {}, seq: 1, created_at: '2026-04-04T00:49:25.123456+00:00' };
  writeFileSync(file, `${JSON.stringify(record)}\n`);
  const inspector = await inspectSource(serverDatabase.url);
  const { importDialog } = inspector;

  await inspector.importButton().click();
  await importDialog.pathField().fill(file);
  await expect(importDialog.switchQuestion()).toHaveText(SWITCH_TO_WRITE_QUESTION);
  await expect(importDialog.startButton()).toHaveCount(0);
  await importDialog.switchAndImportButton().click();

  await expect(importDialog.error()).toContainText(`Import failed: ${serverDatabase.displayUrl} stays read-only`);
  await expect(importDialog.error()).toContainText('--write');
  expect(await eventsOnServer(serverDatabase.url, 'imported-thread')).toBe(0);
});

/**
 * The thread's rows as the server has them, on a connection of its own that is closed before the
 * test ends (an idle one in the database's pool could still be closing when its DROP ends it).
 */
async function eventsOnServer(url: string, threadId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM run_events WHERE thread_id = $1', [threadId])).rows[0].n;
  } finally {
    await client.end();
  }
}
