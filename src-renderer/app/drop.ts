// Drag and drop (issue 9, point 3): what was dropped opens as SOURCE
// resolution reads it — a SQLite file of any name opens at once; a JSONL
// file or folder asks whether to open it as it is or import it into a
// database. Of several, the first is opened and the rest named.
import type { PageApi, PathKind } from '../../src-shared/contract.ts';
import type { SourceInfo } from '../../src-shared/types.ts';

export const DROP_NEEDS_DESKTOP =
  'A browser does not tell the page where a dropped file is, so dropping needs the desktop app. Use Open… or Import… and type the path.';

export type DropOutcome = { kind: 'opened'; info: SourceInfo } | { kind: 'choose'; path: string; pathKind: Exclude<PathKind, 'sqlite'> };

export async function openDropped(path: string, api: Pick<PageApi, 'classifyPath' | 'openSource'>): Promise<DropOutcome> {
  const pathKind = await api.classifyPath({ path });
  if (pathKind === 'sqlite') return { kind: 'opened', info: await api.openSource({ path }) };
  return { kind: 'choose', path, pathKind };
}

/** What the notice adds when more than one thing was dropped. */
export function notOpenedNote(rest: readonly string[]): string {
  if (rest.length === 0) return '';
  return ` Only the first dropped item is opened; not opened: ${rest.join(', ')}.`;
}
