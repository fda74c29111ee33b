import { closeSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive } from '../runner/process-alive.js';

/** Names the worker that trains in a run folder; its modification time is the worker's heartbeat. */
export const WORKER_LOCK_FILE = 'worker.lock';

const WAIT_POLL_MS = 250;

interface LockHolder {
  worker: string;
  host: string;
  pid: number;
}

export interface RunFolderLock {
  release(): void;
}

/**
 * Keeps two workers from training one run folder at once. With a shared runs folder a job can
 * reach a second worker while the first still trains it (the first was cut off from Redis, or its
 * job was re-enqueued after Redis lost its data): the second waits here until the first lets go.
 * The holder refreshes the file's modification time every `staleMs / 3`; a lock older than
 * `staleMs`, or one held by a dead process on this host, belongs to a killed worker and is taken over.
 */
export async function acquireRunFolderLock(dir: string, worker: string, staleMs: number, signal?: AbortSignal): Promise<RunFolderLock> {
  const path = join(dir, WORKER_LOCK_FILE);
  const me: LockHolder = { worker, host: hostname(), pid: process.pid };
  for (;;) {
    signal?.throwIfAborted();
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      const heartbeat = setInterval(() => touch(path), Math.max(50, staleMs / 3));
      heartbeat.unref();
      return {
        release: () => {
          clearInterval(heartbeat);
          rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (isStale(path, staleMs)) rmSync(path, { force: true });
    else await sleep(WAIT_POLL_MS, undefined, { signal });
  }
}

function isStale(path: string, staleMs: number): boolean {
  let modified: number;
  try {
    modified = statSync(path).mtimeMs;
  } catch {
    return true; // gone meanwhile: try to take it again
  }
  if (Date.now() - modified > staleMs) return true;
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return holder.host === hostname() && typeof holder.pid === 'number' && !processAlive(holder.pid);
  } catch {
    return false; // still being written by the worker that created it
  }
}

function touch(path: string): void {
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch {
    // The folder was removed under us: nothing to keep alive.
  }
}
