import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWandbRecord, type DecodedWandbRecord } from './record-decoding.js';
import { scanWandbLog, type WandbLogScan } from './leveldb-log.js';

export interface OfflineRunContents {
  records: DecodedWandbRecord[];
  stopped?: WandbLogScan['stopped'];
}

/** The offline run folders (`offline-run-*`) in a W&B folder, oldest first; none when it does not exist. */
export function offlineRunsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.startsWith('offline-run-'))
    .sort()
    .map((name) => join(dir, name));
}

/** The `run-<id>.wandb` transaction log of an offline run folder. */
export function offlineRunLog(runDir: string): string {
  const log = readdirSync(runDir).find((name) => /^run-.+\.wandb$/.test(name));
  if (!log) throw new Error(`${runDir} holds no run-<id>.wandb file`);
  return join(runDir, log);
}

/** Every record of an offline run folder's transaction log, decoded. */
export function readOfflineRun(runDir: string): OfflineRunContents {
  const { records, stopped } = scanWandbLog(readFileSync(offlineRunLog(runDir)));
  return { records: records.map(decodeWandbRecord), ...(stopped ? { stopped } : {}) };
}
