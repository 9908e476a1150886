// A postgres:// or postgresql:// SOURCE as libpq reads it (issue 13): user,
// password, host, port and database from the URL, else from PGUSER, PGHOST,
// PGPORT, PGDATABASE; the password from the URL, the app (a prompt or the
// keychain), PGPASSWORD, then the password file; `sslmode` with libpq's
// meanings; plus `?schema=NAME`, DeerFlow's `database.postgres_schema`.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PoolConfig } from 'pg';
import { StoreError } from '../../../src-shared/errors.ts';
import { isPostgresUrl, shownUrl } from '../source-url.ts';
import { passwordFromFile } from './password-file.ts';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES = new Set<string>(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/** The URL's query parameters this app takes; libpq refuses any other, and so do we (a typo would be ignored silently). */
const KNOWN_PARAMETERS = new Set(['schema', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'host', 'port', 'user', 'password', 'dbname', 'connect_timeout', 'application_name']);

export interface PostgresSource {
  host: string;
  port: number;
  user: string;
  database: string;
  /** DeerFlow's postgres_schema: the connection's search_path; null for the server's default. */
  schema: string | null;
  sslMode: SslMode;
  /** The source as the app shows and remembers it: never its password. */
  displayUrl: string;
  /** What pg connects with (password resolved when the server asks for one). */
  config: PoolConfig;
}

export interface SourceOptions {
  /** A password from the app (typed, or kept in the keychain), used when the URL has none. */
  password?: string;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

/** A connection that waits this long for the server is given up (libpq's connect_timeout, in seconds, can say otherwise). */
const CONNECT_TIMEOUT_MS = 10_000;


function bad(source: string, message: string): StoreError {
  return new StoreError('SOURCE', `${shownUrl(source)}: ${message}`);
}


/** A search_path value, quoted as an identifier, for the startup `options` (where a space or backslash is escaped). */
export function searchPathOption(schema: string): string {
  const quoted = `"${schema.replaceAll('"', '""')}"`;
  return `-c search_path=${quoted.replace(/[\\ ]/g, (c) => `\\${c}`)}`;
}

/**
 * The TLS files as libpq finds them: the URL's, else PGSSLROOTCERT / PGSSLCERT / PGSSLKEY, else those in
 * ~/.postgresql (root.crt, postgresql.crt, postgresql.key) when they are there. Without a root certificate
 * anywhere, verify-ca and verify-full check the server against the system's certificate authorities.
 */
function tlsFiles(params: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv, homeDir: string): { rootCert?: string; cert?: string; key?: string } {
  const found = (param: string, variable: string, file: string) => {
    const given = params.get(param) ?? env[variable];
    if (given !== undefined) return given;
    const standard = path.join(homeDir, '.postgresql', file);
    return existsSync(standard) ? standard : undefined;
  };
  return { rootCert: found('sslrootcert', 'PGSSLROOTCERT', 'root.crt'), cert: found('sslcert', 'PGSSLCERT', 'postgresql.crt'), key: found('sslkey', 'PGSSLKEY', 'postgresql.key') };
}

function sslConfig(mode: SslMode, files: { rootCert?: string; cert?: string; key?: string }): PoolConfig['ssl'] {
  // allow connects plain first, as libpq; prefer's TLS first is tried when the store opens (tls-preference.ts).
  if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
  const read = (file: string | undefined) => (file === undefined ? undefined : readFileSync(file, 'utf8'));
  const material = { ca: read(files.rootCert), cert: read(files.cert), key: read(files.key) };
  // require checks the certificate only when a root certificate is given (then it is verify-ca), as libpq does.
  if (mode === 'require' && material.ca === undefined) return { ...material, rejectUnauthorized: false };
  if (mode === 'verify-full') return { ...material, rejectUnauthorized: true };
  return { ...material, rejectUnauthorized: true, checkServerIdentity: () => undefined };
}

/** A libpq connection URI's parts as written (percent-decoded; null where absent or empty, as libpq takes an empty part). */
interface UriParts {
  user: string | null;
  password: string | null;
  host: string | null;
  port: string | null;
  database: string | null;
  params: Map<string, string>;
}

/**
 * postgresql://[user[:password]@][host][:port][/dbname][?name=value&…], split as libpq splits it. Not the WHATWG
 * parser: it takes `postgresql:///db` as host "db" (extra slashes after a special scheme are dropped) and refuses
 * `postgresql://user@/db`, `postgresql://` and the display URL of a socket source (`user@:5432/db?host=/run`).
 */
function splitUri(source: string): UriParts {
  // The user part ends at the last @ before the query, not the first (libpq's): a password with an unescaped @ or /
  // is then the password, not part of the host shown in the top bar and kept in the recent list.
  const match = /^postgres(?:ql)?:\/\/(?:([^?]*)@)?(\[[^\]/?]*\]|[^:/?]*)(?::([^/?]*))?(?:\/([^?]*))?(?:\?(.*))?$/is.exec(source);
  if (!match) throw bad(source, 'not a valid URL');
  const [, userinfo, host, port, database, query] = match;
  const decoded = (text: string | undefined) => (text ? decodeURIComponent(text) : null);
  try {
    const colon = userinfo?.indexOf(':') ?? -1;
    const params = new Map<string, string>();
    for (const pair of query ? query.split('&') : []) {
      const equals = pair.indexOf('=');
      if (equals < 0) throw bad(source, `URL parameter "${decodeURIComponent(pair)}" has no value`);
      params.set(decodeURIComponent(pair.slice(0, equals)), decodeURIComponent(pair.slice(equals + 1)));
    }
    return {
      user: decoded(colon < 0 ? userinfo : userinfo!.slice(0, colon)),
      password: colon < 0 ? null : decodeURIComponent(userinfo!.slice(colon + 1)),
      host: decoded(host.replace(/^\[(.*)\]$/, '$1')),
      port: port || null,
      database: decoded(database),
      params,
    };
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw bad(source, 'not a valid URL (a bad %-escape)');
  }
}

export function parsePostgresSource(source: string, options: SourceOptions = {}): PostgresSource {
  if (!isPostgresUrl(source)) throw bad(source, 'not a postgres:// or postgresql:// URL');
  const env = options.env ?? process.env;
  const uri = splitUri(source);
  const params = uri.params;
  for (const name of params.keys()) if (!KNOWN_PARAMETERS.has(name)) throw bad(source, `unknown URL parameter "${name}"`);
  const host = params.get('host') ?? uri.host ?? env.PGHOST ?? 'localhost';
  const portText = params.get('port') ?? uri.port ?? env.PGPORT ?? '5432';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65_535) throw bad(source, `port ${JSON.stringify(portText)} is not a port number`);
  const user = params.get('user') ?? uri.user ?? env.PGUSER ?? os.userInfo().username;
  const database = params.get('dbname') ?? uri.database ?? env.PGDATABASE ?? user;
  const schema = params.get('schema') ?? null;
  if (schema !== null && schema.trim() === '') throw bad(source, 'schema= names no schema');
  const sslMode = params.get('sslmode') ?? env.PGSSLMODE ?? 'prefer';
  if (!SSL_MODES.has(sslMode)) throw bad(source, `sslmode "${sslMode}" is not one of ${[...SSL_MODES].join(', ')}`);
  const urlPassword = params.get('password') ?? uri.password;
  const homeDir = options.homeDir ?? os.homedir();
  const timeoutText = params.get('connect_timeout') ?? env.PGCONNECT_TIMEOUT ?? null;
  const connectTimeoutMs = timeoutText !== null && Number(timeoutText) > 0 ? Number(timeoutText) * 1000 : CONNECT_TIMEOUT_MS;

  let ssl: PoolConfig['ssl'];
  try {
    ssl = sslConfig(sslMode as SslMode, tlsFiles(params, env, homeDir));
  } catch (error) {
    throw bad(source, `a TLS file cannot be read (${(error as Error).message})`);
  }
  const connection = CONNECTION_PARAMETERS.flatMap((name) => (params.has(name) ? [[name, params.get(name)!] as const] : []));
  const displayUrl = formatDisplayUrl({ user, host, port, database, schema, connection });
  const password = async () => {
    const found =
      urlPassword ??
      options.password ??
      env.PGPASSWORD ??
      passwordFromFile({ host, port, database, user }, { env, homeDir });
    if (found === undefined) throw new StoreError('AUTH', `${displayUrl}: the server asks for a password; give it in the URL, PGPASSWORD or ~/.pgpass`);
    return found;
  };
  return {
    host,
    port,
    user,
    database,
    schema,
    sslMode: sslMode as SslMode,
    displayUrl,
    config: {
      host,
      port,
      user,
      database,
      password,
      ssl,
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: params.get('application_name') ?? env.PGAPPNAME ?? 'run-inspector',
      // UTC: timestamps come back as text in UTC (encoding.ts); the search_path is all DeerFlow's postgres_schema does.
      // DateStyle too: a database's own setting (SQL, DMY) would change the text, and stamps are compared as text.
      options: [...(schema === null ? [] : [searchPathOption(schema)]), '-c TimeZone=UTC', '-c DateStyle=ISO'].join(' '),
    },
  };
}

/**
 * The URL's parameters, besides the password, that say how to connect: the display URL keeps those given,
 * so a source reopened from it (the recent list) connects as it did — with TLS when it asked for TLS.
 */
const CONNECTION_PARAMETERS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'application_name'] as const;

/** The URL the app shows: user, host, port, database, schema and how to connect; no password, ever. */
function formatDisplayUrl(parts: {
  user: string;
  host: string;
  port: number;
  database: string;
  schema: string | null;
  connection: readonly (readonly [string, string])[];
}): string {
  const enc = encodeURIComponent;
  // A socket folder (libpq: a host that starts with /) goes in ?host=, as libpq writes it.
  const socket = parts.host.startsWith('/');
  const host = socket ? '' : parts.host.includes(':') ? `[${parts.host}]` : parts.host;
  const query = [
    socket ? `host=${enc(parts.host)}` : null,
    parts.schema === null ? null : `schema=${enc(parts.schema)}`,
    ...parts.connection.map(([name, value]) => `${name}=${enc(value)}`),
  ]
    .filter(Boolean)
    .join('&');
  return `postgresql://${enc(parts.user)}@${host}:${parts.port}/${enc(parts.database)}${query ? `?${query}` : ''}`;
}
