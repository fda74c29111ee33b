import { open, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS_FILE, writeFileAtomic } from '@selfkd/core';
import type { EpochRecord } from './reporter.js';


/** Replaces a JSON file atomically and durably (see writeFileAtomic). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** Appends one epoch's line and fsyncs it; a kill mid-write leaves a cut line that `metricsUpTo` drops. */
export async function appendMetrics(outDir: string, record: EpochRecord): Promise<void> {
  const handle = await open(join(outDir, METRICS_FILE), 'a');
  try {
    await handle.writeFile(JSON.stringify(record) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * On resume, keeps the metrics lines of the epochs the checkpoint contains and drops lines of an
 * epoch that ran after it (the run was killed between writing metrics and the checkpoint). The
 * file is replaced atomically, and only when there is something to drop, so a kill during a
 * resume never loses the lines of finished epochs.
 */
export async function metricsUpTo(outDir: string, epochs: number): Promise<EpochRecord[]> {
  const path = join(outDir, METRICS_FILE);
  if (!existsSync(path)) return [];
  const text = await readFile(path, 'utf8');
  const records = text
    .split('\n')
    .filter((line) => line.trim())
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as EpochRecord];
      } catch {
        return []; // a line cut short by a kill
      }
    })
    .filter((r) => r.epoch <= epochs);
  const kept = records.map((r) => JSON.stringify(r) + '\n').join('');
  if (kept !== text) await writeFileAtomic(path, kept);
  return records;
}
