// What the File menu does, and the page's pickers (contract.ts pickAndOpen,
// pickImport, pickExport): native dialogs, then the same session calls the
// contract's handlers make. Progress and results reach the page as push
// messages; the menu reports its failures in a message box (it has no one
// else to tell), the pickers to the page that asked.
import path from 'node:path';
import type { BrowserWindow, Dialog, MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { type JobResult, type JobStarted, type OpenPickKind, type ParamsOf, SWITCH_TO_WRITE_QUESTION, switchesToWrite } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import type { Pickers } from '../handlers/handlers.ts';
import type { Session } from '../handlers/session.ts';
import { isSourceUrl, shownUrl } from '../store/source-url.ts';
import type { FileActions } from './menu.ts';

type Dialogs = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showMessageBox'>;

const databaseFilters = [
  { name: 'SQLite databases', extensions: ['db', 'sqlite', 'sqlite3'] },
  { name: 'All files', extensions: ['*'] },
];
const jsonlFilters = [
  { name: 'JSONL files', extensions: ['jsonl'] },
  { name: 'All files', extensions: ['*'] },
];

/** A SOURCE as a message box may show it: a URL's password left out, a path as it is. */
export const shownSource = (source: string): string => (isSourceUrl(source) ? shownUrl(source) : source);

export interface FileCommandsOptions {
  session: Session;
  dialog: Dialogs;
  window: () => BrowserWindow | null;
}

/** The menu's actions, each resolving when its dialogs are done and its work started (or finished, for an open). */
export type FileCommands = { [A in keyof FileActions]: (...args: Parameters<FileActions[A]>) => Promise<void> } & {
  open(source: string): Promise<void>;
  pickers: Pickers;
};

const openPicks: Record<Exclude<OpenPickKind, 'new-database'>, OpenDialogOptions> = {
  database: { title: 'Open Database', properties: ['openFile'], filters: databaseFilters },
  'jsonl-folder': { title: 'Open JSONL Folder', properties: ['openDirectory'] },
  'jsonl-file': { title: 'Open JSONL Export', properties: ['openFile'], filters: jsonlFilters },
};
const importPicks: Record<'file' | 'folder', OpenDialogOptions> = {
  file: { title: 'Import JSONL', properties: ['openFile'], filters: jsonlFilters },
  folder: { title: 'Import JSONL Folder', properties: ['openDirectory'] },
};
const exportPick: OpenDialogOptions = { title: 'Export to Folder (DeerFlow JSONL layout)', properties: ['openDirectory', 'createDirectory'] };
const repairPick: OpenDialogOptions = { title: 'Export Repaired Copy to a New or Empty Folder', properties: ['openDirectory', 'createDirectory'] };

export function fileCommands({ session, dialog, window }: FileCommandsOptions): FileCommands {
  // Modal to the window when there is one (a command can run before it exists).
  const openDialog = (options: OpenDialogOptions) => {
    const win = window();
    return win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options);
  };
  const saveDialog = (options: SaveDialogOptions) => {
    const win = window();
    return win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options);
  };
  const messageBox = (options: MessageBoxOptions) => {
    const win = window();
    return win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options);
  };

  async function choose(options: OpenDialogOptions): Promise<string | null> {
    const result = await openDialog(options);
    return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
  }

  async function showError(message: string, error: unknown): Promise<void> {
    await messageBox({ type: 'error', message, detail: error instanceof Error ? error.message : String(error) });
  }

  async function open(source: string): Promise<void> {
    try {
      await session.open(source);
    } catch (error) {
      await showError(`Cannot open ${shownSource(source)}`, error);
    }
  }

  /**
   * The database an import writes: the open one if the user says so (a read-only server switched
   * to read-write first, when they agree to that too), else a new file they name.
   */
  async function importTarget(input: string): Promise<string | null> {
    const info = session.info;
    const switchFirst = switchesToWrite(info);
    // Someone else's database (a live agent's, a team's server) gets new rows only when the user says so.
    if ((info.kind === 'sqlite' && !info.readOnly) || info.kind === 'postgres') {
      const { response } = await messageBox({
        type: 'question',
        message: `Import ${path.basename(input)} into the open database?`,
        detail: switchFirst ? `${info.path}\n\n${SWITCH_TO_WRITE_QUESTION}` : (info.path ?? ''),
        buttons: [switchFirst ? 'Switch to Read-Write and Import' : 'Into the Open Database', 'Into a New Database…', 'Cancel'],
        defaultId: 1,
        cancelId: 2,
      });
      if (response === 2) return null;
      if (response === 0) return switchFirst ? (await session.allowWrites()).path : info.path;
    }
    const result = await saveDialog({
      title: 'Import into a New Database',
      defaultPath: `${path.basename(input, '.jsonl')}.db`,
      filters: databaseFilters,
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    return result.canceled || !result.filePath ? null : result.filePath;
  }

  /** The import job, once the user has named its target; null when they cancelled. */
  async function startImport(input: string, { openWhenDone }: { openWhenDone: boolean }): Promise<JobStarted | null> {
    const into = await importTarget(input);
    if (!into) return null;
    const jobId = session.startImport(input, into);
    if (openWhenDone && into !== session.info.path) {
      const stop = session.push.subscribe((event) => {
        if (event.channel !== 'job:done' || event.message.jobId !== jobId) return;
        stop();
        if ((event.message as JobResult).ok) void open(into);
      });
    }
    return { jobId };
  }

  async function importFrom(input: string | null): Promise<void> {
    if (input === null) return;
    try {
      // From the menu a new database is opened once it holds the import; the page shows progress and the summary.
      await startImport(input, { openWhenDone: true });
    } catch (error) {
      await showError(`Cannot import ${input}`, error);
    }
  }

  async function openRecent(source: string): Promise<void> {
    try {
      await session.openRecent(source);
    } catch (error) {
      // The menu cannot ask for a password: the window's Open dialog does (its recent list).
      if (error instanceof StoreError && error.code === 'AUTH') return showError(`Cannot open ${source}: open it from the window's Open… dialog to give the password`, error);
      if (!(error instanceof StoreError && error.code === 'NOT_FOUND')) return showError(`Cannot open ${source}`, error);
      const { response } = await messageBox({
        type: 'warning',
        message: error.message,
        detail: 'Remove it from the recent list?',
        buttons: ['Remove from List', 'Keep'],
        defaultId: 0,
        cancelId: 1,
      });
      if (response === 0) await session.forgetRecent(source);
    }
  }

  const pickers: Pickers = {
    open: async (kind): Promise<SourceInfo | null> => {
      if (kind === 'new-database') {
        const result = await saveDialog({ title: 'New Database', defaultPath: 'runs.db', filters: databaseFilters, properties: ['createDirectory'] });
        return result.canceled || !result.filePath ? null : session.openFromPage(result.filePath, { create: true });
      }
      const source = await choose(openPicks[kind]);
      return source === null ? null : session.open(source);
    },
    importJsonl: async (from: ParamsOf<'pickImport'>) => {
      const input = 'dropId' in from ? session.drops.path(from.dropId) : await choose(importPicks[from.kind]);
      // The page shows the summary, which offers to open a new database.
      return input === null ? null : startImport(input, { openWhenDone: false });
    },
    export: async ({ threadId, runId }) => {
      const out = await choose(exportPick);
      return out === null ? null : { jobId: session.startExport(out, threadId, runId) };
    },
    repairedExport: async () => {
      const out = await choose(repairPick);
      return out === null ? null : { jobId: session.startRepair(out) };
    },
  };

  // A menu click has no one to report to but the log.
  const run = (action: () => Promise<void>) => () => action().catch((error: unknown) => console.error('File menu:', error));

  return {
    open,
    pickers,
    openDatabase: run(async () => {
      const source = await choose(openPicks.database);
      if (source !== null) await open(source);
    }),
    openJsonlFolder: run(async () => {
      const source = await choose(openPicks['jsonl-folder']);
      if (source !== null) await open(source);
    }),
    openPostgres: run(async () => session.push.emit('app:openPostgres', {})),
    openRecent: (source) => openRecent(source),
    clearRecent: run(async () => void (await session.clearRecent())),
    openSample: run(async () => {
      try {
        await session.openSample();
      } catch (error) {
        await showError('Cannot open the sample store', error);
      }
    }),
    importJsonlFile: run(async () => importFrom(await choose(importPicks.file))),
    importJsonlFolder: run(async () => importFrom(await choose(importPicks.folder))),
    exportSource: run(async () => {
      const out = await choose(exportPick);
      if (out === null) return;
      try {
        session.startExport(out);
      } catch (error) {
        await showError('Cannot export', error);
      }
    }),
  };
}
