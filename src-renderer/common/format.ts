// Display formats shared by every screen. Times are shown in the viewer's
// local zone; durations and sizes in the largest unit that keeps them short.
import { plural as sharedPlural } from '../../src-shared/plural.ts';
import { instantMs } from '../../src-shared/time.ts';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `2026-04-04 09:49:25` in local time, or the text as it came when it is not a date. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = instantMs(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `850 ms`, `1.25 s`, `3 m 04 s`, `2 h 05 m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(abs < 10_000 ? 2 : 1)} s`;
  const totalSeconds = Math.round(abs / 1000);
  if (abs < 3_600_000) return `${sign}${Math.floor(totalSeconds / 60)} m ${pad(totalSeconds % 60)} s`;
  const totalMinutes = Math.round(abs / 60_000);
  return `${sign}${Math.floor(totalMinutes / 60)} h ${pad(totalMinutes % 60)} m`;
}

/** How long ago, for "last activity": coarse on purpose. */
export function formatAgo(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return 'no events';
  const ms = instantMs(iso);
  if (Number.isNaN(ms)) return iso;
  const seconds = Math.round((nowMs - ms) / 1000);
  if (seconds < 0) return formatDateTime(iso);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  if (seconds < 30 * 86_400) return `${Math.floor(seconds / 86_400)} d ago`;
  return formatDateTime(iso).slice(0, 10);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const countFormat = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => countFormat.format(n);

/** `1 event`, `12,345 events`. */
export const plural = (n: number, noun: string, nouns = `${noun}s`): string => sharedPlural(n, noun, nouns, formatCount);

/** UTF-8 size of a string without allocating an encoder per call site. */
const encoder = new TextEncoder();
export const utf8Bytes = (text: string): number => encoder.encode(text).length;
