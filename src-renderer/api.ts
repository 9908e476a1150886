// The renderer's one door to main: the preload's bridge in the desktop app,
// the loopback HTTP API when served by `run-inspector serve`. Either way the
// page gets only contract.ts `pageApi` (BridgeApi): it cannot write events.
import type { BridgeApi } from '../src-shared/contract.ts';
import { createHttpApi } from './http-api.ts';

declare global {
  interface Window {
    runInspector?: BridgeApi;
  }
}

export const api: BridgeApi = window.runInspector ?? createHttpApi();

/** The desktop app: paths come from native dialogs and drops, never typed. */
export const isDesktop = window.runInspector !== undefined;

/** Drag and drop can only name a file on disk through the desktop bridge. */
export const canResolveDroppedFiles = typeof api.pathForFile === 'function';
