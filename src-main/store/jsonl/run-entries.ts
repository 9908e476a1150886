// Where each kept event of one run file lies, in seq order: its seq, the
// byte offset and length of its JSON text in the file, and what the overview
// strip counts it as (overview.ts strip bits). This is all the JSONL backend
// holds of an event; the event itself is read from its file when a query
// returns it. Three doubles an entry in one typed array (length and bits in
// one: length × 8 + bits), which is also how the sidecar keeps them.
import { firstAfter } from '../paging.ts';

const STRIDE = 3;
const BITS = 8;
const BYTES_PER_ENTRY = STRIDE * Float64Array.BYTES_PER_ELEMENT;

export class RunEntries {
  private data: Float64Array;
  count: number;

  constructor(data = new Float64Array(STRIDE * 8), count = 0) {
    this.data = data;
    this.count = count;
  }

  /** Entries saved by toBytes; null when the bytes cannot be entries. */
  static fromBytes(bytes: Uint8Array): RunEntries | null {
    if (bytes.byteLength % BYTES_PER_ENTRY !== 0) return null;
    // A copy: the blob's own buffer may be unaligned or shared.
    const data = new Float64Array(bytes.byteLength / Float64Array.BYTES_PER_ELEMENT);
    new Uint8Array(data.buffer).set(bytes);
    const entries = new RunEntries(data, data.length / STRIDE);
    for (let i = 1; i < entries.count; i++) if (!(entries.seqAt(i) > entries.seqAt(i - 1))) return null;
    return entries;
  }

  toBytes(): Buffer {
    return Buffer.from(this.data.buffer, this.data.byteOffset, this.count * BYTES_PER_ENTRY);
  }

  seqAt(i: number): number {
    return this.data[i * STRIDE];
  }

  /** seqAt, bound: for paging.ts. */
  readonly seqOf = (i: number): number => this.data[i * STRIDE];

  offsetAt(i: number): number {
    return this.data[i * STRIDE + 1];
  }

  lengthAt(i: number): number {
    return Math.floor(this.data[i * STRIDE + 2] / BITS);
  }

  bitsAt(i: number): number {
    // The low bits survive ToInt32: a line is at most MAX_LINE_BYTES (2^28), so length × 8 fits in 32 bits.
    return this.data[i * STRIDE + 2] & (BITS - 1);
  }

  /** The indexes of the entries that have `bit`, ascending (in seq order). */
  withBit(bit: number): Uint32Array {
    const found = new Uint32Array(this.count);
    return found.subarray(0, this.copyWithBit(bit, found, null, 0));
  }

  /** Writes the index (and the seq, when `seqs` is given) of each entry with `bit` from `at` on; returns how many. */
  copyWithBit(bit: number, indexes: Uint32Array, seqs: Float64Array | null, at: number): number {
    const data = this.data;
    let n = at;
    for (let i = 0, end = this.count * STRIDE; i < end; i += STRIDE) {
      if (!(data[i + 2] & bit)) continue;
      indexes[n] = i / STRIDE;
      if (seqs) seqs[n] = data[i];
      n++;
    }
    return n - at;
  }

  /** Adds an entry in its seq's place (a seq not present yet: the thread's duplicate rule decides that first). */
  add(seq: number, offset: number, length: number, bits: number): void {
    if ((this.count + 1) * STRIDE > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    let at = this.count;
    // A run file is written in seq order: the search for the place is for a hand-edited one.
    if (at > 0 && this.seqAt(at - 1) > seq) {
      at = this.firstAfter(seq);
      this.data.copyWithin((at + 1) * STRIDE, at * STRIDE, this.count * STRIDE);
    }
    this.data.set([seq, offset, length * BITS + bits], at * STRIDE);
    this.count++;
  }

  /** Index of the first entry with a seq > `seq`. */
  firstAfter(seq: number): number {
    return firstAfter(this.count, this.seqOf, seq);
  }

  /** Index of the entry with this seq, or -1. */
  indexOf(seq: number): number {
    const i = this.firstAfter(seq) - 1;
    return i >= 0 && this.seqAt(i) === seq ? i : -1;
  }
}
