import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochRecord } from './reporter.js';

export const METRICS_FILE = 'metrics.jsonl';
export const RESULT_FILE = 'result.json';
export const RESOLVED_CONFIG_FILE = 'config.resolved.json';

/** Replaces a file atomically so a crash never leaves it half-written. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(value, null, 2) + '\n');
  await rename(tmp, path);
}

export async function appendMetrics(outDir: string, record: EpochRecord): Promise<void> {
  await appendFile(join(outDir, METRICS_FILE), JSON.stringify(record) + '\n');
}

/**
 * On resume, keeps the metrics lines of the epochs the checkpoint contains and drops lines of an
 * epoch that ran after it (the run was killed between writing metrics and the checkpoint).
 */
export async function metricsUpTo(outDir: string, epochs: number): Promise<EpochRecord[]> {
  const path = join(outDir, METRICS_FILE);
  if (!existsSync(path)) return [];
  const records = (await readFile(path, 'utf8'))
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
  await writeFile(path, records.map((r) => JSON.stringify(r) + '\n').join(''));
  return records;
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}
