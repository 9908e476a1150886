// parsePostgresSource without a server: libpq's URL forms and environment
// defaults, ?schema=, sslmode as pg's ssl option, and a display URL that
// never carries the password.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePostgresSource, type PostgresSource } from './connection.ts';

/** No PG* variable of the machine running the tests leaks in. */
const NO_ENV = {};

const parse = (url: string, env: NodeJS.ProcessEnv = NO_ENV, options: { password?: string; homeDir?: string } = {}) =>
  parsePostgresSource(url, { env, homeDir: options.homeDir ?? '/nonexistent-home', password: options.password });

const parts = ({ host, port, user, database, schema }: PostgresSource) => ({ host, port, user, database, schema });

/** What pg would send as the password (the config's function, as pg calls it when the server asks). */
async function passwordOf(source: PostgresSource): Promise<string> {
  const password = source.config.password;
  return typeof password === 'function' ? await password() : (password as string);
}

describe('parsePostgresSource: URL forms', () => {
  it('reads user, password, host, port and database from a full URL, either scheme, any case', async () => {
    for (const scheme of ['postgresql', 'postgres', 'PostgreSQL']) {
      const source = parse(`${scheme}://alice:s3cret@db.example.com:6543/events`);
      expect(parts(source)).toEqual({ host: 'db.example.com', port: 6543, user: 'alice', database: 'events', schema: null });
      expect(source.displayUrl).toBe('postgresql://alice@db.example.com:6543/events');
      expect(await passwordOf(source)).toBe('s3cret');
    }
  });

  it('percent-decodes the user, password and database, and encodes them again in the display URL', async () => {
    const source = parse('postgresql://d%C3%A9v%40team:p%40ss%3Aw%2Fo%25rd@h/my%20db%2Fx');
    expect(parts(source)).toMatchObject({ user: 'dév@team', database: 'my db/x' });
    expect(await passwordOf(source)).toBe('p@ss:w/o%rd');
    expect(source.displayUrl).toBe('postgresql://d%C3%A9v%40team@h:5432/my%20db%2Fx');
    expect(parse(source.displayUrl).displayUrl).toBe(source.displayUrl);
  });

  it('takes an empty part as absent, as libpq does: postgresql:///db, postgresql://user@/db, postgresql://', () => {
    const env = { PGHOST: 'envhost', PGPORT: '7777', PGUSER: 'envuser', PGDATABASE: 'envdb' };
    expect(parts(parse('postgresql:///events', env))).toEqual({ host: 'envhost', port: 7777, user: 'envuser', database: 'events', schema: null });
    expect(parts(parse('postgresql://bob@/events', env))).toEqual({ host: 'envhost', port: 7777, user: 'bob', database: 'events', schema: null });
    expect(parts(parse('postgresql://', env))).toEqual({ host: 'envhost', port: 7777, user: 'envuser', database: 'envdb', schema: null });
    expect(parts(parse('postgresql://h:/db', env))).toMatchObject({ host: 'h', port: 7777 });
  });

  it('falls back to localhost, 5432, the login user and a database named after the user', () => {
    const me = os.userInfo().username;
    expect(parts(parse('postgresql://'))).toEqual({ host: 'localhost', port: 5432, user: me, database: me, schema: null });
    expect(parts(parse('postgresql://carol@h'))).toMatchObject({ user: 'carol', database: 'carol' });
  });

  it('prefers the URL to the environment, and query parameters to the URL', () => {
    const env = { PGHOST: 'envhost', PGPORT: '7777', PGUSER: 'envuser', PGDATABASE: 'envdb' };
    expect(parts(parse('postgresql://u@h:1234/d', env))).toEqual({ host: 'h', port: 1234, user: 'u', database: 'd', schema: null });
    expect(parts(parse('postgresql://u@h:1234/d?host=other&port=4321&user=v&dbname=e', env))).toEqual({ host: 'other', port: 4321, user: 'v', database: 'e', schema: null });
  });

  it('reads an IPv6 host in brackets and writes it back in brackets', () => {
    const source = parse('postgresql://u@[::1]:5433/db');
    expect(parts(source)).toMatchObject({ host: '::1', port: 5433 });
    expect(source.displayUrl).toBe('postgresql://u@[::1]:5433/db');
    expect(parse(source.displayUrl).host).toBe('::1');
  });

  it('takes a socket folder from ?host= or a percent-encoded host, and names it in ?host= of a display URL that opens again', () => {
    for (const url of ['postgresql://u@/db?host=/var/run/postgresql', 'postgresql://u@%2Fvar%2Frun%2Fpostgresql/db', 'postgresql:///db?host=%2Fvar%2Frun%2Fpostgresql&user=u']) {
      const source = parse(url);
      expect(parts(source), url).toEqual({ host: '/var/run/postgresql', port: 5432, user: 'u', database: 'db', schema: null });
      expect(source.displayUrl).toBe('postgresql://u@:5432/db?host=%2Fvar%2Frun%2Fpostgresql');
      expect(parts(parse(source.displayUrl))).toEqual(parts(source));
    }
  });

  it('takes ?schema= as DeerFlow\'s postgres_schema: the search_path of every connection, quoted, in the display URL', () => {
    const plain = parse('postgresql://u@h/db');
    expect(plain.config.options).toBe('-c TimeZone=UTC -c DateStyle=ISO');
    const team = parse('postgresql://u@h/db?schema=team');
    expect(team.schema).toBe('team');
    expect(team.displayUrl).toBe('postgresql://u@h:5432/db?schema=team');
    expect(team.config.options).toBe('-c search_path="team" -c TimeZone=UTC -c DateStyle=ISO');
    // The startup options escape a space with a backslash; a quote is doubled inside the identifier.
    const odd = parse('postgresql://u@h/db?schema=my%20"team');
    expect(odd.schema).toBe('my "team');
    expect(odd.config.options).toBe('-c search_path="my\\ ""team" -c TimeZone=UTC -c DateStyle=ISO');
    expect(parse(odd.displayUrl).schema).toBe('my "team');
    expect(() => parse('postgresql://u@h/db?schema=')).toThrow(/schema= names no schema/);
    expect(() => parse('postgresql://u@h/db?schema=%20')).toThrow(/schema= names no schema/);
  });

  it('keeps a + in a query value (libpq does not read it as a space)', () => {
    expect(parse('postgresql://u@h/db?schema=a+b').schema).toBe('a+b');
  });

  it('takes connect_timeout in seconds, and application_name', () => {
    expect(parse('postgresql://u@h/db').config).toMatchObject({ connectionTimeoutMillis: 10_000, application_name: 'run-inspector' });
    expect(parse('postgresql://u@h/db?connect_timeout=3&application_name=probe').config).toMatchObject({ connectionTimeoutMillis: 3000, application_name: 'probe' });
  });
});

describe('parsePostgresSource: the display URL says how to connect', () => {
  it('keeps the TLS and connection parameters the URL gave, and never its password, so the source reopens from it as it was opened', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-pg-display-'));
    const ca = path.join(dir, 'root ca.crt');
    fs.writeFileSync(ca, 'ROOT CERTIFICATE');
    const given = `postgresql://u:hunter2@h/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}&schema=team&connect_timeout=3&password=hunter2`;
    const source = parse(given);
    expect(source.displayUrl).toBe(`postgresql://u@h:5432/db?schema=team&sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}&connect_timeout=3`);
    const reopened = parse(source.displayUrl);
    expect([reopened.displayUrl, reopened.sslMode, reopened.schema]).toEqual([source.displayUrl, 'verify-full', 'team']);
    expect(reopened.config.connectionTimeoutMillis).toBe(3000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves out what came from the environment, which a reopen reads again', () => {
    expect(parse('postgresql://u@h/db', { PGSSLMODE: 'require' }).displayUrl).toBe('postgresql://u@h:5432/db');
  });
});

describe('parsePostgresSource: a password its writer did not escape', () => {
  it('takes the user part to the last @ before the query, so no piece of the password lands in the host, the display URL or an error', async () => {
    for (const [url, password] of [
      ['postgresql://u:se/cret@h/db', 'se/cret'],
      ['postgresql://u:sec@ret@h:5433/db?schema=s', 'sec@ret'],
    ] as const) {
      const source = parse(url);
      expect([source.user, source.host, source.database], url).toEqual(['u', 'h', 'db']);
      expect(await (source.config.password as () => Promise<string>)(), url).toBe(password);
      expect(source.displayUrl, url).not.toMatch(/cret|ret@|se\//);
    }
    let message = '';
    try {
      parse('postgresql://u:se/cret@h:bad/db');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('postgresql://u:***@h:bad/db');
    expect(message).not.toContain('cret');
  });
});

describe('parsePostgresSource: refusals', () => {
  it('refuses an unknown query parameter, naming it (a typo must not be ignored)', () => {
    expect(() => parse('postgresql://u@h/db?shcema=team')).toThrow(/unknown URL parameter "shcema"/);
    expect(() => parse('postgresql://u@h/db?schema=team&sslmode=disable&x=1')).toThrow(/unknown URL parameter "x"/);
    expect(() => parse('postgresql://u@h/db?schema')).toThrow(/URL parameter "schema" has no value/);
  });

  it('refuses a port that is not one, from the URL, a parameter or PGPORT', () => {
    for (const url of ['postgresql://h:0/db', 'postgresql://h:65536/db', 'postgresql://h:99999/db', 'postgresql://h:54x/db', 'postgresql://h/db?port=-1', 'postgresql://h/db?port=1.5']) {
      expect(() => parse(url), url).toThrow(/is not a port number/);
    }
    expect(() => parse('postgresql://h/db', { PGPORT: 'five' })).toThrow(/port "five" is not a port number/);
  });

  it('refuses another scheme and a bad %-escape as SOURCE errors', () => {
    expect(() => parse('mysql://u@h/db')).toThrow(expect.objectContaining({ code: 'SOURCE', message: expect.stringMatching(/not a postgres:\/\/ or postgresql:\/\/ URL/) }));
    expect(() => parse('postgresql://u@h/d%zzb')).toThrow(expect.objectContaining({ code: 'SOURCE', message: expect.stringMatching(/not a valid URL/) }));
  });

  it('never prints the password, in the display URL or in a refusal', () => {
    const source = parse('postgresql://u:hunter2@h/db?schema=team');
    expect(source.displayUrl).not.toContain('hunter2');
    expect(JSON.stringify({ ...source, config: { ...source.config, password: undefined } })).not.toContain('hunter2');
    for (const url of ['postgresql://u:hunter2@h/db?nope=1', 'postgresql://u:hunter2@h:0/db', 'postgresql://u@h/db?password=hunter2&sslmode=bogus', 'postgresql://u:hunter2@h/d%zz']) {
      let message = '';
      try {
        parse(url);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, url).not.toBe('');
      expect(message, url).not.toContain('hunter2');
    }
  });
});

describe('parsePostgresSource: sslmode as pg\'s ssl option', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-pg-ssl-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('connects plain for disable, allow and prefer (the default), as node-postgres cannot fall back', () => {
    for (const mode of ['disable', 'allow', 'prefer']) expect(parse(`postgresql://h/db?sslmode=${mode}`).config.ssl, mode).toBe(false);
    expect(parse('postgresql://h/db').sslMode).toBe('prefer');
    expect(parse('postgresql://h/db').config.ssl).toBe(false);
  });

  it('encrypts without checking the certificate for require, checks it for verify-ca, and the host too for verify-full', () => {
    const ca = path.join(dir, 'root.crt');
    fs.writeFileSync(ca, 'ROOT CERTIFICATE');
    expect(parse('postgresql://h/db?sslmode=require').config.ssl).toEqual({ rejectUnauthorized: false });
    // require with a root certificate checks it, as libpq's verify-ca does.
    const requireCa = parse(`postgresql://h/db?sslmode=require&sslrootcert=${encodeURIComponent(ca)}`).config.ssl as Record<string, unknown>;
    expect(requireCa).toMatchObject({ ca: 'ROOT CERTIFICATE', rejectUnauthorized: true });
    expect((requireCa.checkServerIdentity as () => unknown)()).toBeUndefined();
    const verifyCa = parse(`postgresql://h/db?sslmode=verify-ca&sslrootcert=${encodeURIComponent(ca)}`).config.ssl as Record<string, unknown>;
    expect(verifyCa).toMatchObject({ ca: 'ROOT CERTIFICATE', rejectUnauthorized: true });
    expect(verifyCa.checkServerIdentity).toBeTypeOf('function');
    const verifyFull = parse(`postgresql://h/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`).config.ssl as Record<string, unknown>;
    expect(verifyFull).toMatchObject({ ca: 'ROOT CERTIFICATE', rejectUnauthorized: true });
    expect(verifyFull.checkServerIdentity).toBeUndefined();
  });

  it('takes PGSSLMODE when the URL has no sslmode, and the URL\'s over it', () => {
    expect(parse('postgresql://h/db', { PGSSLMODE: 'require' }).sslMode).toBe('require');
    expect(parse('postgresql://h/db?sslmode=disable', { PGSSLMODE: 'require' }).config.ssl).toBe(false);
  });

  it('finds the TLS files as libpq does: the URL\'s, else PGSSLROOTCERT / PGSSLCERT / PGSSLKEY, else ~/.postgresql\'s', () => {
    const home = path.join(dir, 'home');
    fs.mkdirSync(path.join(home, '.postgresql'), { recursive: true });
    const write = (file: string, text: string) => (fs.writeFileSync(file, text), file);
    write(path.join(home, '.postgresql', 'root.crt'), 'HOME ROOT');
    write(path.join(home, '.postgresql', 'postgresql.crt'), 'HOME CERT');
    write(path.join(home, '.postgresql', 'postgresql.key'), 'HOME KEY');
    const fromEnv = write(path.join(dir, 'env-root.crt'), 'ENV ROOT');
    const fromUrl = write(path.join(dir, 'url-root.crt'), 'URL ROOT');
    const ssl = (url: string, env: NodeJS.ProcessEnv = NO_ENV) => parse(url, env, { homeDir: home }).config.ssl as Record<string, unknown>;
    expect(ssl('postgresql://h/db?sslmode=verify-full')).toMatchObject({ ca: 'HOME ROOT', cert: 'HOME CERT', key: 'HOME KEY', rejectUnauthorized: true });
    expect(ssl('postgresql://h/db?sslmode=verify-full', { PGSSLROOTCERT: fromEnv })).toMatchObject({ ca: 'ENV ROOT', cert: 'HOME CERT' });
    expect(ssl(`postgresql://h/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(fromUrl)}`, { PGSSLROOTCERT: fromEnv })).toMatchObject({ ca: 'URL ROOT' });
    // A root certificate at hand makes require check the certificate, as libpq's verify-ca.
    expect(ssl('postgresql://h/db?sslmode=require')).toMatchObject({ ca: 'HOME ROOT', rejectUnauthorized: true });
  });

  it('takes PGCONNECT_TIMEOUT and PGAPPNAME when the URL says neither', () => {
    expect(parse('postgresql://h/db', { PGCONNECT_TIMEOUT: '4', PGAPPNAME: 'probe' }).config).toMatchObject({ connectionTimeoutMillis: 4000, application_name: 'probe' });
    expect(parse('postgresql://h/db?connect_timeout=2&application_name=mine', { PGCONNECT_TIMEOUT: '4', PGAPPNAME: 'probe' }).config).toMatchObject({ connectionTimeoutMillis: 2000, application_name: 'mine' });
  });

  it('refuses an unknown sslmode and a certificate file it cannot read, naming them', () => {
    expect(() => parse('postgresql://h/db?sslmode=on')).toThrow(/sslmode "on" is not one of disable, allow, prefer, require, verify-ca, verify-full/);
    expect(() => parse('postgresql://h/db', { PGSSLMODE: 'yes' })).toThrow(/sslmode "yes"/);
    expect(() => parse(`postgresql://h/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(path.join(dir, 'missing.crt'))}`)).toThrow(
      /a TLS file cannot be read .*missing\.crt/,
    );
  });
});

describe('parsePostgresSource: where the password comes from', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-pg-home-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const writePgpass = (text: string) => {
    fs.writeFileSync(path.join(home, '.pgpass'), text, { mode: 0o600 });
  };

  it('takes the URL\'s, then the app\'s, then PGPASSWORD, then ~/.pgpass', async () => {
    writePgpass('h:5432:db:u:from-file\n');
    const env = { PGPASSWORD: 'from-env' };
    expect(await passwordOf(parse('postgresql://u:from-url@h/db', env, { password: 'from-app', homeDir: home }))).toBe('from-url');
    expect(await passwordOf(parse('postgresql://u@h/db?password=from-param', env, { password: 'from-app', homeDir: home }))).toBe('from-param');
    expect(await passwordOf(parse('postgresql://u@h/db', env, { password: 'from-app', homeDir: home }))).toBe('from-app');
    expect(await passwordOf(parse('postgresql://u@h/db', env, { homeDir: home }))).toBe('from-env');
    expect(await passwordOf(parse('postgresql://u@h/db', NO_ENV, { homeDir: home }))).toBe('from-file');
  });

  it('asks for a password (AUTH, naming the source) only when the server wants one and none is found', async () => {
    const source = parse('postgresql://u@h/db', NO_ENV, { homeDir: home });
    await expect(passwordOf(source)).rejects.toMatchObject({ code: 'AUTH', message: expect.stringContaining('postgresql://u@h:5432/db: the server asks for a password') });
  });
});
