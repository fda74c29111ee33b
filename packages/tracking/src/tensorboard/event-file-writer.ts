import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { encodeEvent } from './event-encoding.js';
import { FILE_VERSION, type Histogram, type SummaryValue } from './event-schema.js';
import { frameRecord } from './tfrecord.js';

export interface EventFileWriterOptions {
  /** The TensorBoard run folder (created if missing). */
  dir: string;
  /** Default `events.out.tfevents.<unix seconds>.<host>.<pid>.<n>`, unique per writer in a process. */
  fileName?: string;
  /** Buffered bytes that trigger a write; `flush()` writes the rest. */
  flushBytes?: number;
}

let writersInProcess = 0;

/**
 * Appends TensorBoard events to a new event file: the `brain.Event:2` version record first, then
 * one record per event. Records are buffered and written whole, so a crash leaves at most one
 * partial record at the end, which readers skip. Write errors throw to the caller.
 */
export class EventFileWriter {
  readonly path: string;
  private readonly fd: number;
  private readonly flushBytes: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private closed = false;

  constructor(options: EventFileWriterOptions) {
    mkdirSync(options.dir, { recursive: true });
    const seconds = Math.floor(Date.now() / 1000);
    this.path = join(options.dir, options.fileName ?? `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.${writersInProcess++}`);
    this.flushBytes = options.flushBytes ?? 1 << 16;
    this.fd = openSync(this.path, 'a');
    this.add(0, [], FILE_VERSION);
  }

  add(step: number, values: SummaryValue[], fileVersion?: string): void {
    if (this.closed) throw new Error(`${this.path} is closed`);
    if (values.length === 0 && fileVersion === undefined) return;
    const record = frameRecord(encodeEvent({ wallTime: Date.now() / 1000, step, values, ...(fileVersion ? { fileVersion } : {}) }));
    this.pending.push(record);
    this.pendingBytes += record.length;
    if (this.pendingBytes >= this.flushBytes) this.flush();
  }

  scalar(tag: string, value: number, step: number): void {
    this.add(step, [{ tag, kind: 'scalar', value }]);
  }

  text(tag: string, text: string, step: number): void {
    this.add(step, [{ tag, kind: 'text', text }]);
  }

  image(tag: string, image: { width: number; height: number; png: Uint8Array }, step: number): void {
    this.add(step, [{ tag, kind: 'image', ...image }]);
  }

  histogram(tag: string, histogram: Histogram, step: number): void {
    this.add(step, [{ tag, kind: 'histogram', histogram }]);
  }

  flush(): void {
    if (this.pendingBytes === 0) return;
    const bytes = Buffer.concat(this.pending);
    // Dropped before writing: after a failed write the same bytes are not retried.
    this.pending = [];
    this.pendingBytes = 0;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.fd, bytes, offset);
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }
}
