import path from 'node:path';
import { expect, saveScreenshot, test } from './fixtures.ts';

test('a new, empty database explains itself and offers every way to bring runs in', async ({ page, tempDir, inspectSource }) => {
  const db = path.join(tempDir, 'new.db');
  const inspector = await inspectSource(db);
  const guide = inspector.emptySource();
  await expect(guide).toContainText('No run events here yet');
  await expect(guide).toContainText(db);
  await expect(guide).toContainText('run-inspector import');
  await expect(inspector.threads.total()).toHaveText('0');
  await expect(page.getByRole('button', { name: 'Export…' })).toBeDisabled();
  await saveScreenshot(page, 'empty-store');

  await guide.getByRole('button', { name: 'Import JSONL…' }).click();
  await expect(inspector.importDialog.dialog()).toBeVisible();
  await page.keyboard.press('Escape');
  await guide.getByRole('button', { name: 'Open…' }).click();
  await expect(inspector.openDialog.dialog()).toBeVisible();
  await page.keyboard.press('Escape');
  // Not clicked here: `serve` keeps its sample store in the system's temp folder, shared by every run.
  await expect(guide.getByRole('button', { name: 'Open sample data' })).toBeEnabled();
});
