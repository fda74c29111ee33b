// The coordinator of a queued bench in its own process, so a test can kill it at any moment:
//   node queue-bench-driver.mjs BENCH_CONFIG_JSON OUT_DIR QUEUE_URL ATTEMPTS
// Progress and messages go to stdout; the last line is the outcome as JSON. Uses the built package.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { formatProgress, parseBenchConfig, runQueuedBench } from '../../dist/index.js';

const [configFile, out, queue, attempts] = process.argv.slice(2);
const config = parseBenchConfig(JSON.parse(readFileSync(configFile, 'utf8')));
const outcome = await runQueuedBench(config, {
  out,
  queue,
  attempts: Number(attempts),
  pollMs: 100,
  onProgress: (progress) => process.stdout.write(`${formatProgress(progress)}\n`),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify({ done: outcome.done, failed: outcome.failed, interrupted: outcome.interrupted })}\n`);
