// A SOURCE that is a URL (DESIGN.md §3): `postgres://` or `postgresql://` is
// a PostgreSQL database, any other `scheme://` an error — never a path, which
// would make a folder named after the scheme in the working folder.
import { StoreError } from '../../src-shared/errors.ts';

const URL_SOURCE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const POSTGRES_SCHEMES = new Set(['postgres', 'postgresql']);

export const isSourceUrl = (source: string): boolean => URL_SOURCE.test(source);

/** A PostgreSQL SOURCE (issue 13). */
export const isPostgresUrl = (source: string): boolean => POSTGRES_SCHEMES.has(URL_SOURCE.exec(source)?.[1].toLowerCase() ?? '');

/**
 * The URL as an error may show it: its password left out, up to the last @ before the query (a password
 * may hold a / or an @ its writer did not escape), and a `password=` parameter's value too.
 */
export function shownUrl(source: string): string {
  return source.replace(/\/\/([^:@/?]*):[^?]*@/, '//$1:***@').replace(/([?&]password=)[^&]*/i, '$1***');
}

/** Refuses a URL SOURCE that is not a database this app opens, with what it opens instead. */
export function refuseSourceUrl(source: string): never {
  const scheme = URL_SOURCE.exec(source)?.[1].toLowerCase() ?? '';
  throw new StoreError('SOURCE', `${shownUrl(source)}: ${scheme}:// is not a source this app opens; give a .db file, a JSONL folder or file, or a postgresql:// URL`);
}

/** A SOURCE as a command line or a page names it: a PostgreSQL URL as it is, another URL refused as above, a path made absolute by `absolute`. */
export function sourcePath(source: string, absolute: (path: string) => string): string {
  if (isPostgresUrl(source)) return source;
  if (isSourceUrl(source)) refuseSourceUrl(source);
  return absolute(source);
}
