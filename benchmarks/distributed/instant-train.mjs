// A training that does no work, for measuring what the queue itself costs per run:
//   node instant-train.mjs CONFIG_FILE OUT_DIR
// It writes a run folder as `selfkd train` does (one metrics line, result.json) and exits.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const [configFile, outDir] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, 'utf8'));
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'metrics.jsonl'), `${JSON.stringify({ epoch: 1, lr: 0, train: { total: 0 }, test: { top1: 0.5, nll: 1 }, seconds: 0 })}\n`);
writeFileSync(join(outDir, 'result.json'), JSON.stringify({ metrics: { top1: 0.5, nll: 1 }, config, env: { backend: 'none', seed: config.seed }, seconds: 0 }));
