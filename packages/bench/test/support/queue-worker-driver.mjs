// A bench worker with the fake trainer in its own process, so a test can kill or stop it:
//   node queue-worker-driver.mjs QUEUE_URL RUNS_DIR NAME LOCK_SECONDS
// SIGTERM or SIGINT stops it the way `selfkd worker` stops. It uses the built package (dist/).
import { resolve } from 'node:path';
import process from 'node:process';
import { runWorker } from '../../dist/index.js';

const [queue, runsDir, name, lockSeconds] = process.argv.slice(2);
const fakeTrain = resolve(import.meta.dirname, 'fake-train.mjs');
const abort = new globalThis.AbortController();
process.once('SIGTERM', () => abort.abort());
process.once('SIGINT', () => abort.abort());
await runWorker({
  queue,
  runsDir,
  name,
  lockSeconds: Number(lockSeconds),
  trainCommand: (configPath, outDir, resume) => ({ command: process.execPath, args: [fakeTrain, configPath, outDir, resume ? '1' : '0'] }),
  signal: abort.signal,
});
