// The live writer (live-writer.ts) as a child process a test or the
// benchmark drives: one command at a time, each answered once committed.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const SCRIPT = path.join(import.meta.dirname, 'live-writer.ts');

export interface WriterReply {
  ok: boolean;
  error?: string;
  seqs?: number[];
  removed?: number;
  written?: number;
  errors?: string[];
  /** When the change was committed (ms since the epoch, fractional). */
  at?: number;
}

export interface Commit {
  committed: string;
  at: number;
}

export class LiveWriterProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly replies: ((reply: WriterReply) => void)[] = [];
  private readonly exited: Promise<number | null>;
  private stderr = '';
  /** Every commit of a stream, as the writer reported it. */
  readonly commits: Commit[] = [];

  private constructor(kind: 'sqlite' | 'jsonl', target: string, ready: () => void) {
    this.child = spawn(process.execPath, [SCRIPT, kind, target], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('close', resolve));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as WriterReply & Partial<Commit> & { ready?: boolean };
      if (message.ready) ready();
      else if (message.committed !== undefined) this.commits.push({ committed: message.committed, at: message.at! });
      else this.replies.shift()?.(message);
    });
  }

  /** The writer on a database (`sqlite`) or a JSONL root (`jsonl`), once it is ready for commands. */
  static start(kind: 'sqlite' | 'jsonl', target: string): Promise<LiveWriterProcess> {
    return new Promise((resolve, reject) => {
      const writer: LiveWriterProcess = new LiveWriterProcess(kind, target, () => resolve(writer));
      void writer.exited.then((code) => reject(new Error(`the live writer exited (${code}) before it was ready: ${writer.stderr}`)));
    });
  }

  /** Sends one command; resolves with its answer (a failed write is `ok: false`, never a rejection). */
  send(command: object): Promise<WriterReply> {
    return new Promise((resolve, reject) => {
      this.replies.push(resolve);
      void this.exited.then((code) => reject(new Error(`the live writer exited (${code}): ${this.stderr}`)));
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  /** Ends the writer (its connection closes) and waits for it to exit. */
  async close(): Promise<number | null> {
    this.child.stdin.end();
    return this.exited;
  }
}
