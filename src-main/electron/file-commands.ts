// What the File menu does: native dialogs, then the same session calls the
// contract's handlers make. Progress and results reach the page as push
// messages; only what the page cannot show (a source that failed to open
// before any page existed) is reported here.
import path from 'node:path';
import type { BrowserWindow, Dialog, MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { JobResult } from '../../src-shared/contract.ts';
import type { Session } from '../handlers/session.ts';
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

export interface FileCommandsOptions {
  session: Session;
  dialog: Dialogs;
  window: () => BrowserWindow | null;
}

/** The menu's actions, each resolving when its dialogs are done and its work started (or finished, for an open). */
export type FileCommands = { [A in keyof FileActions]: (...args: Parameters<FileActions[A]>) => Promise<void> } & {
  open(source: string): Promise<void>;
};

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
      await showError(`Cannot open ${source}`, error);
    }
  }

  /** The database an import writes: the open one if the user says so, else a new file they name. */
  async function importTarget(input: string): Promise<string | null> {
    const info = session.info;
    // Someone else's database (a live agent's) gets new rows only when the user says so.
    if (info.kind === 'sqlite' && !info.readOnly) {
      const { response } = await messageBox({
        type: 'question',
        message: `Import ${path.basename(input)} into the open database?`,
        detail: info.path ?? '',
        buttons: ['Into the Open Database', 'Into a New Database…', 'Cancel'],
        defaultId: 1,
        cancelId: 2,
      });
      if (response === 0) return info.path;
      if (response === 2) return null;
    }
    const result = await saveDialog({
      title: 'Import into a New Database',
      defaultPath: `${path.basename(input, '.jsonl')}.db`,
      filters: databaseFilters,
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    return result.canceled || !result.filePath ? null : result.filePath;
  }

  async function importFrom(input: string | null): Promise<void> {
    if (input === null) return;
    const into = await importTarget(input);
    if (!into) return;
    try {
      const jobId = session.startImport(input, into);
      // A new database is opened once it holds the import; the page shows progress and the summary.
      if (into !== session.info.path) {
        const stop = session.push.subscribe((event) => {
          if (event.channel !== 'job:done' || event.message.jobId !== jobId) return;
          stop();
          if ((event.message as JobResult).ok) void open(into);
        });
      }
    } catch (error) {
      await showError(`Cannot import ${input}`, error);
    }
  }

  // A menu click has no one to report to but the log.
  const run = (action: () => Promise<void>) => () => action().catch((error: unknown) => console.error('File menu:', error));

  return {
    open,
    openDatabase: run(async () => {
      const source = await choose({ title: 'Open Database', properties: ['openFile'], filters: databaseFilters });
      if (source !== null) await open(source);
    }),
    openJsonlFolder: run(async () => {
      const source = await choose({ title: 'Open JSONL Folder', properties: ['openDirectory'] });
      if (source !== null) await open(source);
    }),
    openRecent: (source) => open(source),
    openSample: run(async () => {
      try {
        await session.openSample();
      } catch (error) {
        await showError('Cannot open the sample store', error);
      }
    }),
    importJsonlFile: run(async () => importFrom(await choose({ title: 'Import JSONL', properties: ['openFile'], filters: jsonlFilters }))),
    importJsonlFolder: run(async () => importFrom(await choose({ title: 'Import JSONL Folder', properties: ['openDirectory'] }))),
    exportSource: run(async () => {
      const out = await choose({ title: 'Export to Folder (DeerFlow JSONL layout)', properties: ['openDirectory', 'createDirectory'] });
      if (out === null) return;
      try {
        session.startExport(out);
      } catch (error) {
        await showError('Cannot export', error);
      }
    }),
  };
}
