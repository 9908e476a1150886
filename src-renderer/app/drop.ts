// Drag and drop (issue 9, point 3). The desktop app's preload hands the
// dropped File to main (DesktopBridge.openDropped), which opens a SQLite file
// of any name at once and, for a JSONL file or folder, answers a choice:
// open it as it is or import it into a database. Of several, the first is
// opened and the rest named. A browser cannot name a dropped file's path.
import type { DropOutcome } from '../../src-shared/contract.ts';

export const DROP_NEEDS_DESKTOP =
  'A browser does not tell the page where a dropped file is, so dropping needs the desktop app. Use Open… or Import… and type the path.';

/** A dropped JSONL file or folder waiting for the user's choice; main keeps its path under `dropId`. */
export type DroppedChoice = Extract<DropOutcome, { kind: 'choose' }>;

/** What the notice adds when more than one thing was dropped. */
export function notOpenedNote(rest: readonly string[]): string {
  if (rest.length === 0) return '';
  return ` Only the first dropped item is opened; not opened: ${rest.join(', ')}.`;
}
