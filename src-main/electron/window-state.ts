// The window's size and position, remembered across launches in a JSON file
// in the user data folder. Plain node: testable without Electron.
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file.ts';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect | null;
  maximized: boolean;
}

export const defaultSize = { width: 1280, height: 820 } as const;
export const minimumSize = { width: 640, height: 400 } as const;

const stateSchema = z.object({
  bounds: z
    .object({ x: z.number().int(), y: z.number().int(), width: z.number().int(), height: z.number().int() })
    .nullable(),
  maximized: z.boolean(),
});

/**
 * The saved state, with bounds dropped when they no longer fit on any
 * display (a monitor was unplugged): the window then opens centred.
 * A missing or damaged file is a first launch.
 */
export function loadWindowState(file: string, workAreas: Rect[]): WindowState {
  const saved = readJsonFile(file, stateSchema);
  if (saved === null) return { bounds: null, maximized: false };
  const bounds = saved.bounds;
  const visible =
    bounds !== null &&
    bounds.width >= minimumSize.width &&
    bounds.height >= minimumSize.height &&
    workAreas.some((area) => overlap(bounds, area) >= 0.5 * Math.min(bounds.width * bounds.height, area.width * area.height));
  return { bounds: visible ? bounds : null, maximized: saved.maximized };
}

function overlap(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

export function saveWindowState(file: string, state: WindowState): void {
  writeJsonFile(file, state);
}
