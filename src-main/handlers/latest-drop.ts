// A drop on the desktop window between the drop and the user's choice (open it as it is, or
// import it): the preload resolved the File to its path and main keeps the path here, so the
// page holds only an id and never names a path. Only the latest drop is kept — the page shows
// one drop dialog at a time — so an id is good until the next drop, for as many tries as the
// user needs (an import picker cancelled, then chosen again).
import { randomUUID } from 'node:crypto';
import { StoreError } from '../../src-shared/errors.ts';

export class LatestDrop {
  private latest: { id: string; path: string } | null = null;

  /** Keeps `path` as the latest drop, forgetting the one before; returns its id. */
  remember(path: string): string {
    const id = randomUUID();
    this.latest = { id, path };
    return id;
  }

  path(id: string): string {
    if (this.latest?.id !== id) throw new StoreError('NOT_FOUND', `drop ${id}: not the latest drop; drop the file again`);
    return this.latest.path;
  }
}
