// Runs a bench with the fake trainer in its own process, so a test can kill it at any moment:
//   node bench-driver.mjs BENCH_CONFIG_JSON OUT_DIR WORKERS
// It uses the built package (dist/), as the `selfkd` command would.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import process from 'node:process';
import { formatProgress, parseBenchConfig, runBench } from '../../dist/index.js';

const [configFile, out, workers] = process.argv.slice(2);
const fakeTrain = resolve(import.meta.dirname, 'fake-train.mjs');
const config = parseBenchConfig(JSON.parse(readFileSync(configFile, 'utf8')));
const outcome = await runBench(config, {
  out,
  workers: Number(workers),
  trainCommand: (configPath, outDir, resume) => ({ command: process.execPath, args: [fakeTrain, configPath, outDir, resume ? '1' : '0'] }),
  onProgress: (progress) => process.stdout.write(`${formatProgress(progress)}\n`),
});
process.stdout.write(`${JSON.stringify({ done: outcome.done, failed: outcome.failed })}\n`);
