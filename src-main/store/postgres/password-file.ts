// libpq's password file (PGPASSFILE, else ~/.pgpass): lines of
// hostname:port:database:username:password, `*` matching anything, `\:` and
// `\\` escaped; the first line that matches wins. libpq ignores a file that
// others may read, and so do we.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface PasswordFileKey {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** The fields of one line, unescaped; null for a comment or a line of fewer than five fields. */
function fieldsOf(line: string): string[] | null {
  if (line.startsWith('#')) return null;
  const fields: string[] = [];
  let field = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) field += line[++i];
    else if (c === ':' && fields.length < 4) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields.length === 5 ? fields : null;
}

export function passwordFromFile(key: PasswordFileKey, { env, homeDir }: { env: NodeJS.ProcessEnv; homeDir: string }): string | undefined {
  const file = env.PGPASSFILE ?? path.join(homeDir, '.pgpass');
  let text: string;
  try {
    const stats = statSync(file);
    if (!stats.isFile() || (process.platform !== 'win32' && (stats.mode & 0o077) !== 0)) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // A socket folder is "localhost" to the password file, as to libpq.
  const host = key.host.startsWith('/') ? 'localhost' : key.host;
  const wanted = [host, String(key.port), key.database, key.user];
  for (const line of text.split(/\r?\n/)) {
    const fields = fieldsOf(line);
    if (fields && wanted.every((value, i) => fields[i] === '*' || fields[i] === value)) return fields[4];
  }
  return undefined;
}
