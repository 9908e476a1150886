// Opening from the page (issue 9, points 1, 2, 3, 14, 18): nothing is
// created from a typo, a new database is its own action, typed paths are
// completed, recent entries that are gone say so, an import into a new
// database offers to open it, and a drop in browser mode says why it
// cannot name a path.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeJsonlLayout, writeSqliteStore } from '../src-main/generator/write-store.ts';
import { generateEvents } from '../src-main/generator/generate.ts';
import { expect, test } from './fixtures.ts';

test('Open… never creates a store from a typo; New database is its own action', async ({ inspector, served, page, expectRefusals }) => {
  expectRefusals({ method: 'openSource', status: 404 }, { method: 'openSource', status: 400 });
  const { openDialog } = inspector;
  const typo = path.join(served.dir, 'does', 'not', 'exist.db');
  await expect(page).toHaveTitle('store.db — Run Inspector');

  await inspector.openButton().click();
  await openDialog.pathField().fill(typo);
  await openDialog.openButton().click();
  await expect(openDialog.error()).toHaveText(`${typo}: no such file or folder`);
  await openDialog.newDatabaseButton().click();
  await expect(openDialog.error()).toHaveText(`${path.dirname(typo)}: no such folder`);
  await openDialog.pathField().fill('runs.db');
  await openDialog.openButton().click();
  await expect(openDialog.error()).toContainText('runs.db is relative');
  expect(existsSync(path.join(served.dir, 'does'))).toBe(false);
  expect(readdirSync(served.dir).filter((name) => name.endsWith('.db'))).toEqual(['store.db']);

  const created = path.join(served.dir, 'fresh.db');
  await openDialog.pathField().fill(created);
  await openDialog.newDatabaseButton().click();
  await expect(openDialog.dialog()).toHaveCount(0);
  await expect(inspector.emptySource()).toContainText(created);
  await expect(page).toHaveTitle('fresh.db — Run Inspector');
  expect(existsSync(created)).toBe(true);
});

test('a typed path is completed with the folders and files it could go on to', async ({ inspector, served }) => {
  mkdirSync(path.join(served.dir, 'runs-folder'));
  writeFileSync(path.join(served.dir, 'runs.jsonl'), '');
  const { openDialog } = inspector;
  await inspector.openButton().click();
  await openDialog.pathField().fill(path.join(served.dir, 'run'));
  expect(await openDialog.suggestions()).toEqual([`${path.join(served.dir, 'runs-folder')}/`, path.join(served.dir, 'runs.jsonl')]);
  await openDialog.pathField().fill(path.join(served.dir, 'st'));
  expect(await openDialog.suggestions()).toContain(path.join(served.dir, 'store.db'));
  await openDialog.pathField().fill(path.join(served.dir, 'nothing-like-this'));
  expect(await openDialog.suggestions()).toEqual([]);
});

test('a recent source that was moved or deleted is greyed, says so, is not created, and can be removed; Clear recent empties the list', async ({
  inspector,
  served,
  expectRefusals,
}) => {
  expectRefusals({ method: 'openRecent', status: 404 });
  const { openDialog } = inspector;
  const folder = path.join(served.dir, 'jsonl-store');
  writeJsonlLayout(folder, generateEvents({ seed: 8, threads: 1, totalEvents: 6 }));
  await inspector.openButton().click();
  await openDialog.open(folder);
  await inspector.openButton().click();
  await openDialog.open(path.join(served.dir, 'store.db'));
  rmSync(folder, { recursive: true });

  await inspector.openButton().click();
  await expect(openDialog.recentItem(folder)).toHaveAttribute('data-exists', 'false');
  await expect(openDialog.recentItem(folder)).toContainText('moved or deleted');
  await expect(openDialog.recentItem(path.join(served.dir, 'store.db'))).toHaveAttribute('data-exists', 'true');
  await openDialog.recentItem(folder).click();
  await expect(openDialog.error()).toContainText(`${folder} was moved or deleted`);
  expect(existsSync(folder)).toBe(false);
  await openDialog.removeFromListButton().click();
  await expect(openDialog.recentItem(folder)).toHaveCount(0);
  await expect(openDialog.recentItem(path.join(served.dir, 'store.db'))).toHaveCount(1);
  await openDialog.clearRecentButton().click();
  await expect(openDialog.recentList()).toHaveCount(0);
});

test('a recent source that is there but cannot be opened says why and is not offered for removal', async ({ inspector, served, expectRefusals }) => {
  expectRefusals({ method: 'openRecent', status: 422 });
  const { openDialog } = inspector;
  const broken = path.join(served.dir, 'broken.db');
  await writeSqliteStore(broken, generateEvents({ seed: 7, threads: 1, totalEvents: 4 }), []);
  await inspector.openButton().click();
  await openDialog.open(broken);
  await inspector.openButton().click();
  await openDialog.open(path.join(served.dir, 'store.db'));
  writeFileSync(broken, 'not a database any more');

  await inspector.openButton().click();
  await expect(openDialog.recentItem(broken)).toHaveAttribute('data-exists', 'true');
  await openDialog.recentItem(broken).click();
  await expect(openDialog.error()).toContainText(broken);
  await expect(openDialog.removeFromListButton()).toHaveCount(0);
  await expect(openDialog.recentItem(broken)).toHaveCount(1);
});

test('an import into a new database offers to open it', async ({ inspector, served, page }) => {
  const exported = path.join(served.dir, 'export');
  writeJsonlLayout(exported, generateEvents({ seed: 9, threads: 2, totalEvents: 10 }));
  const into = path.join(served.dir, 'imported.db');
  const { importDialog } = inspector;
  await inspector.importButton().click();
  await importDialog.pathField().fill(exported);
  await importDialog.dialog().getByRole('combobox', { name: /^Into/ }).fill(into);
  await importDialog.startButton().click();
  await expect(importDialog.count('imported')).toHaveText('10');
  await importDialog.openItButton().click();
  await expect(importDialog.dialog()).toHaveCount(0);
  await expect(inspector.threads.options()).toHaveCount(2);
  await expect(page).toHaveTitle('imported.db — Run Inspector');

  // Into the open database: nothing else to open.
  await inspector.importButton().click();
  await importDialog.pathField().fill(exported);
  await importDialog.startButton().click();
  await expect(importDialog.count('duplicates')).toHaveText('10');
  await expect(importDialog.openItButton()).toHaveCount(0);
});

test('a drop in browser mode says the browser cannot name its path', async ({ inspector }) => {
  await inspector.dropFiles(['runs.db', 'other.jsonl']);
  await expect(inspector.notice()).toContainText('A browser does not tell the page where a dropped file is');
});
