import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWandbRecord } from './record-encoding.js';
import type { WandbItem, WandbRecord, WandbRunInfo } from './record-schema.js';
import { frameWandbRecord, wandbLogHeader } from './leveldb-log.js';

export interface OfflineRunOptions {
  /** The W&B folder (what `wandb` itself calls `wandb/`); the run gets a folder of its own inside. */
  dir: string;
  run: Omit<WandbRunInfo, 'runId' | 'startTime'> & { runId?: string; startTime?: number };
  /** Names the writer in the header record (W&B's SDK writes its own version there). */
  producer: string;
}

/** W&B's run ids: eight characters of [a-z0-9]. */
export function newRunId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(8), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** `YYYYMMDD_HHMMSS` in local time, as W&B names its run folders. */
function folderTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}_${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
}

/**
 * One offline W&B run, laid out as `wandb` leaves a run made with WANDB_MODE=offline:
 * `<dir>/offline-run-<YYYYMMDD_HHMMSS>-<id>/run-<id>.wandb` (the transaction log `wandb sync`
 * uploads) and `files/` (the run's files; `wandb-summary.json` is written at the end). The log
 * starts with a header record and the run record; records are buffered and written whole, so a
 * killed run leaves a log whose complete records W&B's reader still reads.
 */
export class OfflineRunWriter {
  readonly runId: string;
  readonly runDir: string;
  readonly logPath: string;
  private readonly fd: number;
  private offset = 0;
  private num = 0;
  private pending: Uint8Array[] = [];
  private closed = false;

  constructor(options: OfflineRunOptions) {
    const startTime = options.run.startTime ?? Date.now();
    this.runId = options.run.runId ?? newRunId();
    this.runDir = join(options.dir, `offline-run-${folderTime(startTime)}-${this.runId}`);
    mkdirSync(join(this.runDir, 'files'), { recursive: true });
    this.logPath = join(this.runDir, `run-${this.runId}.wandb`);
    // 'wx': a run id names one run; never append to another run's log.
    this.fd = openSync(this.logPath, 'wx');
    this.push(wandbLogHeader());
    this.append({ kind: 'header', producer: options.producer });
    this.append({ kind: 'run', run: { ...options.run, runId: this.runId, startTime } });
    this.flush();
  }

  append(record: WandbRecord): void {
    if (this.closed) throw new Error(`${this.logPath} is closed`);
    this.push(frameWandbRecord(encodeWandbRecord(++this.num, record), this.offset));
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const bytes = Buffer.concat(this.pending);
    // Dropped before writing: after a failed write the same bytes are not retried.
    this.pending = [];
    for (let written = 0; written < bytes.length; ) written += writeSync(this.fd, bytes, written);
  }

  /** Ends the run: its summary, the exit record (0: finished, otherwise failed), the final record. */
  close(summary: readonly WandbItem[], exitCode: number, runtimeSeconds: number): void {
    if (this.closed) return;
    try {
      this.append({ kind: 'summary', update: summary });
      this.append({ kind: 'exit', exitCode, runtimeSeconds });
      this.append({ kind: 'final' });
      this.flush();
      writeFileSync(join(this.runDir, 'files', 'wandb-summary.json'), `${JSON.stringify(Object.fromEntries(summary.map((i) => [i.key, JSON.parse(i.valueJson)])))}\n`);
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }

  private push(bytes: Uint8Array): void {
    this.pending.push(bytes);
    this.offset += bytes.length;
  }
}
