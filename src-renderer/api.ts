// The renderer's one door to main: the preload's bridge in the desktop app,
// the loopback HTTP API when served by `run-inspector serve`. Either way the
// page cannot write events. What the two modes share is `api`; what only one
// has (the desktop's pickers and drops, browser mode's typed paths) is behind
// `pageMode`, so a call to the other mode's method does not typecheck.
import type { BrowserPageApi, DesktopBridge, SharedPageApi } from '../src-shared/contract.ts';
import { pageStepsOnHistoryButtons } from '../src-shared/history-buttons.ts';
import { createHttpApi } from './http-api.ts';

declare global {
  interface Window {
    runInspector?: DesktopBridge;
  }
}

export type PageMode = { kind: 'desktop'; api: DesktopBridge } | { kind: 'browser'; api: BrowserPageApi };

export const pageMode: PageMode = window.runInspector ? { kind: 'desktop', api: window.runInspector } : { kind: 'browser', api: createHttpApi() };

export const api: SharedPageApi = pageMode.api;

/** The desktop app: paths come from native dialogs and drops, never typed. */
export const isDesktop = pageMode.kind === 'desktop';

let desktopPlatform: string | null = null;
if (pageMode.kind === 'desktop') {
  // Without an answer the page keeps leaving the mouse's history buttons to main: never a double step.
  pageMode.api.appInfo({}).then((info) => (desktopPlatform = info.platform), () => {});
}

/** Whether the page answers mouse buttons 3 / 4 itself, or main does (src-shared/history-buttons.ts). */
export const pageStepsOnMouseHistory = (): boolean => pageStepsOnHistoryButtons(pageMode.kind, desktopPlatform);
