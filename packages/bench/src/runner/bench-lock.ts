import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@selfkd/core';
import { processAlive } from './process-alive.js';

export const LOCK_FILE = 'bench.lock';

/**
 * Takes `<out>/bench.lock` (holding this process's id) so two benches never drive the same runs.
 * A lock whose process is gone (a bench that was killed) is taken over. Returns the release function.
 */
export function acquireBenchLock(outDir: string): () => void {
  const path = join(outDir, LOCK_FILE);
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        // The output folder is taken: a problem with the command line, found before anything runs.
        throw new InputError(`another bench (process ${holder}) is running on ${outDir}; wait for it, or delete ${path} if that process is not a bench`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`cannot take ${path}: another bench keeps creating it`);
}
