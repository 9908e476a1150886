import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InspectorStore } from '../../src-shared/types.ts';
import { classifySource, openSource } from './open-source.ts';

let dir: string;
const opened: InspectorStore[] = [];
const at = (name: string) => path.join(dir, name);
async function open(source: string | null): Promise<InspectorStore> {
  const store = await openSource(source);
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-source-'));
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('what a SOURCE is', () => {
  it('opens no path as a memory store', async () => {
    expect((await open(null)).info.kind).toBe('memory');
  });

  it('takes a missing .db / .sqlite / .sqlite3 path as a new database with DeerFlow’s schema', async () => {
    for (const name of ['new.db', 'new.sqlite', 'NEW.SQLITE3']) {
      const store = await open(at(name));
      expect(store.info).toEqual({ kind: 'sqlite', path: at(name), readOnly: false });
      await store.put({ thread_id: 't', run_id: 'r', event_type: 'run.start', category: 'trace' });
    }
    const db = new Database(at('new.db'), { readonly: true });
    const tables = db.prepare("select name from sqlite_master where type = 'table'").pluck().all();
    db.close();
    expect(tables).toContain('run_events');
  });

  it('takes an existing file with the SQLite header as a database whatever its name', async () => {
    const db = new Database(at('store.bin'));
    db.exec('create table other (x)');
    db.close();
    expect(classifySource(at('store.bin'))).toBe('sqlite-existing');
    await expect(openSource(at('store.bin'))).rejects.toThrow(/store\.bin.*run_events/);
  });

  it('refuses, naming the file, a .db path that is not a SQLite file, and never initialises it', async () => {
    fs.writeFileSync(at('empty.db'), '');
    fs.writeFileSync(at('text.db'), 'hello, not a database\n');
    await expect(openSource(at('empty.db'))).rejects.toThrow(/empty\.db/);
    await expect(openSource(at('text.db'))).rejects.toThrow(/text\.db/);
    expect(fs.statSync(at('empty.db')).size).toBe(0);
    expect(fs.readFileSync(at('text.db'), 'utf8')).toBe('hello, not a database\n');
  });

  it('takes a directory, or a missing path without a database extension, as a JSONL store', async () => {
    fs.mkdirSync(at('layout'));
    expect((await open(at('layout'))).info.kind).toBe('jsonl');
    const fresh = await open(at('missing-folder'));
    expect(fresh.info.kind).toBe('jsonl');
    expect(await fresh.listThreads()).toEqual([]);
  });

  it('refuses a missing .jsonl path instead of creating a folder of that name', async () => {
    await expect(openSource(at('typo.jsonl'))).rejects.toThrow(/typo\.jsonl: no such file/);
    expect(fs.existsSync(at('typo.jsonl'))).toBe(false);
  });

  it('reads any other existing file as a read-only JSONL export', async () => {
    const line = { thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'hi', metadata: {}, seq: 1, created_at: '2026-04-04T00:49:25.123456+00:00' };
    fs.writeFileSync(at('export.txt'), `${JSON.stringify(line)}\n`);
    const store = await open(at('export.txt'));
    expect(store.info).toEqual({ kind: 'jsonl-file', path: at('export.txt'), readOnly: true });
    expect(await store.listMessages('t1')).toEqual([line]);
    await expect(store.deleteByThread('t1')).rejects.toThrow(/read-only/);
  });

  it('refuses, naming the file, an export in which not one line is a record', async () => {
    fs.writeFileSync(at('notes.txt'), 'just some notes\nand more\n');
    await expect(openSource(at('notes.txt'))).rejects.toThrow(/notes\.txt/);
  });
});
