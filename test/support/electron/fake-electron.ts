// Just enough of Electron's main-process API for the built main.js to run
// under plain node (bundle.test.ts): every call is recorded in `fake` for
// the harness to inspect and drive. Loaded in place of 'electron' by
// electron-hooks.ts.
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => unknown;

/** A window's history of three pages, on the middle one; each step is recorded. */
class FakeNavigationHistory {
  index = 1;
  readonly length = 3;
  readonly steps: ('back' | 'forward')[] = [];
  canGoBack(): boolean {
    return this.index > 0;
  }
  canGoForward(): boolean {
    return this.index < this.length - 1;
  }
  goBack(): void {
    this.index--;
    this.steps.push('back');
  }
  goForward(): void {
    this.index++;
    this.steps.push('forward');
  }
}

class FakeWebContents extends EventEmitter {
  readonly navigationHistory = new FakeNavigationHistory();
  readonly sent: [string, unknown][] = [];
  reloads = 0;
  reload(): void {
    this.reloads++;
  }
  windowOpenHandler: Listener | null = null;
  send(channel: string, message: unknown): void {
    this.sent.push([channel, message]);
    this.emit('sent', channel, message);
  }
  setWindowOpenHandler(handler: Listener): void {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows(): BrowserWindow[] {
    return fake.windows;
  }
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  url = '';
  title = '';
  representedFilename: string | null = null;
  closed = false;
  progress: number[] = [];
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    fake.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
    fake.windowCreated(this);
  }
  maximize(): void {}
  setTitle(title: string): void {
    this.title = title;
  }
  setRepresentedFilename(file: string): void {
    this.representedFilename = file;
  }
  close(): void {
    this.closed = true;
  }
  show(): void {}
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  setProgressBar(value: number): void {
    this.progress.push(value);
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1000, height: 700 };
  }
  isMaximized(): boolean {
    return false;
  }
  async loadURL(url: string): Promise<void> {
    this.url = url;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  readonly paths = new Map<string, string>();
  quitCalls = 0;
  /** app.addRecentDocument calls, emptied by clearRecentDocuments. */
  recentDocuments: string[] = [];
  addRecentDocument(file: string): void {
    this.recentDocuments.push(file);
  }
  clearRecentDocuments(): void {
    this.recentDocuments = [];
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  getPath(name: string): string {
    const value = this.paths.get(name);
    if (value === undefined) throw new Error(`fake app: no path ${name}`);
    return value;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code: number): void {
    throw new Error(`app.exit(${code})`);
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
}

export const app = new FakeApp();

let windowCreated: (win: BrowserWindow) => void = () => {};

export const fake = {
  windows: [] as BrowserWindow[],
  firstWindow: new Promise<BrowserWindow>((resolve) => (windowCreated = resolve)),
  windowCreated: (win: BrowserWindow) => windowCreated(win),
  ipc: new Map<string, Listener>(),
  protocols: new Map<string, Listener>(),
  privilegedSchemes: [] as unknown[],
  sessionHooks: {} as Record<'headers' | 'request' | 'check', Listener | undefined>,
  menus: [] as unknown[],
  opened: [] as string[],
  openedPaths: [] as string[],
  messageBoxes: [] as { message: string; detail?: string }[],
  /** What the next dialogs answer, in turn: a picked path, a message box's button; when none is queued, cancelled and the first button. */
  answers: { open: [] as string[], save: [] as string[], messageBox: [] as number[] },
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privilegedSchemes.push(...schemes),
  handle: (scheme: string, handler: Listener) => fake.protocols.set(scheme, handler),
};
export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: (listener: Listener) => (fake.sessionHooks.headers = listener) },
    setPermissionRequestHandler: (handler: Listener) => (fake.sessionHooks.request = handler),
    setPermissionCheckHandler: (handler: Listener) => (fake.sessionHooks.check = handler),
  },
};
export const shell = {
  openExternal: async (url: string) => void fake.opened.push(url),
  openPath: async (file: string) => (fake.openedPaths.push(file), ''),
};
/** A keychain that seals by reversing the bytes: the saved-passwords file then holds no password as typed. */
export const safeStorage = {
  isAsyncEncryptionAvailable: async () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptStringAsync: async (text: string) => Buffer.from(text, 'utf8').reverse(),
  decryptStringAsync: async (data: Buffer) => ({ result: Buffer.from(data).reverse().toString('utf8'), shouldReEncrypt: false }),
};
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const Menu = { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => fake.menus.push(menu) };
export const dialog = {
  // Unless one is queued, the first button: Reload, Remove from List, OK.
  showMessageBox: async (...args: unknown[]) => {
    const { message, detail } = args.at(-1) as { message: string; detail?: string };
    fake.messageBoxes.push({ message, detail });
    return { response: fake.answers.messageBox.shift() ?? 0 };
  },
  showOpenDialog: async () => {
    const picked = fake.answers.open.shift();
    return picked === undefined ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [picked] };
  },
  showSaveDialog: async () => {
    const picked = fake.answers.save.shift();
    return picked === undefined ? { canceled: true } : { canceled: false, filePath: picked };
  },
};
export const ipcMain = {
  handle: (channel: string, listener: Listener) => fake.ipc.set(channel, listener),
  removeHandler: (channel: string) => fake.ipc.delete(channel),
};
