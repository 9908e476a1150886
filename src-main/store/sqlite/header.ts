// The first 16 bytes of every SQLite database. Read before anything opens a
// file: SQLite would happily initialise an empty or foreign file on first write.
import fs from 'node:fs';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** What the start of an existing file says it is. Throws when it cannot be read. */
export function sniffSqliteHeader(path: string): 'sqlite' | 'empty' | 'other' {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(path, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read === 0) return 'empty';
  return read === header.length && header.equals(SQLITE_HEADER) ? 'sqlite' : 'other';
}
