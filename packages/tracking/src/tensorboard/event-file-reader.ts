import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEvent, type DecodedEvent } from './event-decoding.js';
import { scanRecords, type RecordScan } from './tfrecord.js';

export interface EventFileContents {
  events: DecodedEvent[];
  /** Set when the file ends inside a record or a checksum fails; the events before it are kept. */
  stopped?: RecordScan['stopped'];
}

/** Reads an event file as TensorBoard does: record by record, up to the first incomplete or damaged one. */
export function readEventFile(path: string): EventFileContents {
  const scan = scanRecords(readFileSync(path));
  return { events: scan.records.map(decodeEvent), ...(scan.stopped ? { stopped: scan.stopped } : {}) };
}

/** The event files of one TensorBoard run folder, oldest first (their names start with the creation time). */
export function eventFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.includes('tfevents'))
    .sort(byCreationTime)
    .map((name) => join(dir, name));
}

function byCreationTime(a: string, b: string): number {
  const time = (name: string) => Number(/tfevents\.(\d+)/.exec(name)?.[1] ?? 0);
  return time(a) - time(b) || a.localeCompare(b);
}
