#!/usr/bin/env node
// Chaos test of run folders and benches: kills `selfkd train`, `selfkd bench` and the training
// children of a bench with SIGKILL at random moments (including while a --resume is starting),
// restarts them until they finish, and checks that the metrics files and results are identical to
// those of uninterrupted runs of the same configs. Bounded in time; the seed makes a failure
// reproducible.
//
//   node test/chaos/chaos.mjs [--seconds 150] [--seed N] [--keep]
//
// Exits 0 when every finished trial matched its reference, 1 on a mismatch or a failed command.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';

const selfkd = resolve(import.meta.dirname, '../../packages/cli/dist/bin.js');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const budgetMs = Number(option('seconds', '150')) * 1000;
const seed = Number(option('seed', String(Date.now() % 1_000_000)));
const keep = args.includes('--keep');
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'selfkd-chaos-'));

/** mulberry32: a small seeded generator, so that the kill moments of a run can be replayed. */
function generator(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(seed);

const trainConfig = `
seed: 5
backend: wasm
data: { name: mnist-digits, trainSize: 400 }
model: { name: mlp, hidden: [24] }
train:
  epochs: 5
  batchSize: 40
  optimizer: { name: sgd, lr: 0.05, momentum: 0.9 }
  schedule: { name: cosine }
regularizers:
  - type: ps-kd
  - type: sd-dropout
`;
const benchConfig = `
base:
  backend: wasm
  data: { name: mnist-digits, trainSize: 300 }
  model: { name: mlp, hidden: [16] }
  train: { epochs: 4, batchSize: 50, optimizer: { name: adam, lr: 0.003 } }
combinations:
  - { name: baseline, regularizers: [] }
  - { name: cs-kd, regularizers: [{ type: cs-kd }] }
seeds: [0]
workers: 2
`;
const trainFile = join(work, 'train.yaml');
const benchFile = join(work, 'bench.yaml');
writeFileSync(trainFile, trainConfig);
writeFileSync(benchFile, benchConfig);

function run(commandArgs) {
  const child = spawn(process.execPath, [selfkd, ...commandArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal, stderr })));
  return { child, exited };
}

async function runToEnd(commandArgs) {
  const { exited } = run(commandArgs);
  const result = await exited;
  if (result.code !== 0) throw new Error(`selfkd ${commandArgs.join(' ')} failed with ${result.code}:\n${result.stderr}`);
  return result;
}

/** Starts a command and SIGKILLs it (or, with `victim`, a process it started) after `delayMs`; resolves with how it ended. */
async function runAndKill(commandArgs, delayMs, victim) {
  const { child, exited } = run(commandArgs);
  const timer = setTimeout(() => {
    const pid = victim ? victim() : child.pid;
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // it ended by itself in the meantime
      }
    }
  }, delayMs);
  const result = await exited;
  clearTimeout(timer);
  return result;
}

/** The metric that is a timing: the training process's CPU seconds (result.json `cost.cpuSeconds`). */
const CPU_METRIC = 'cost.cpuSeconds';

const withoutCpuMetric = ({ [CPU_METRIC]: _cpu, ...metrics }) => metrics;

/** Metrics lines and result without wall-clock or CPU times: what must be bit-identical. */
function runRecord(dir) {
  const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  const { seconds: _seconds, cost, ...result } = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
  const { cpuSeconds: _cpu, ...counts } = cost ?? {};
  return JSON.stringify({ lines: lines.map((l) => ({ ...JSON.parse(l), seconds: 0 })), result, cost: counts });
}

function benchRecord(dir) {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  const { startedAt: _start, finishedAt: _end, wallSeconds: _wall, trainingSeconds: _training, cpuSeconds: _cpu, ...provenance } = results.provenance ?? {};
  const runs = results.runs.map(({ seconds: _s, cpuSeconds: _c, attempts: _a, ...r }) => ({ ...r, metrics: withoutCpuMetric(r.metrics ?? {}) }));
  const combinations = results.combinations.map(({ seconds: _s, cpuSeconds: _c, ...c }) => ({ ...c, metrics: withoutCpuMetric(c.metrics ?? {}) }));
  const metrics = results.metrics.filter((m) => m.name !== CPU_METRIC);
  const comparisons = results.comparisons.filter((c) => c.metric !== CPU_METRIC);
  const best = results.best.filter((b) => b.metric !== CPU_METRIC);
  const folders = readdirSync(join(dir, 'runs')).flatMap((c) => readdirSync(join(dir, 'runs', c)).map((s) => runRecord(join(dir, 'runs', c, s))));
  return JSON.stringify({ ...results, provenance, metrics, runs, combinations, comparisons, best, folders });
}

/** Training processes of a bench: `selfkd train` children whose command line names its folder. */
function trainingChildOf(out) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes('train') && cmdline.some((a) => a.startsWith(out))) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

const timeLeft = () => budgetMs - (Date.now() - started);
const log = (line) => process.stdout.write(`[chaos seed ${seed}] ${line}\n`);
let kills = 0;
let trials = 0;

async function trainTrial(reference, referenceMs, index) {
  const out = join(work, `train-${index}`);
  let attempts = 0;
  for (;;) {
    const first = !existsSync(join(out, 'config.resolved.json'));
    const commandArgs = first ? ['train', '--config', trainFile, '--out', out] : ['train', '--resume', out];
    // A third of the kills land in the first 400 ms: the process start and the resume's checks.
    const delay = random() < 0.33 ? random() * 400 : random() * referenceMs;
    const killing = attempts < 2 || (attempts < 6 && timeLeft() > referenceMs * 2);
    const result = killing ? await runAndKill(commandArgs, delay) : await runToEnd(commandArgs);
    attempts++;
    if (result.signal === 'SIGKILL') kills++;
    else if (result.code !== 0) throw new Error(`train ${index}: ${commandArgs.join(' ')} failed (${result.code}):\n${result.stderr}`);
    else break;
  }
  if (runRecord(out) !== reference) throw new Error(`train ${index}: metrics or result differ from the uninterrupted run (${out})`);
  log(`train trial ${index}: ${attempts} attempts, identical to the uninterrupted run`);
}

async function benchTrial(reference, referenceMs, index) {
  const out = join(work, `bench-${index}`);
  let attempts = 0;
  for (;;) {
    const commandArgs = ['bench', '--config', benchFile, '--out', out];
    const killing = attempts < 2 || (attempts < 5 && timeLeft() > referenceMs * 2);
    const killChild = random() < 0.5;
    const delay = random() * referenceMs;
    const result = killing ? await runAndKill(commandArgs, delay, killChild ? () => trainingChildOf(out) : undefined) : await runToEnd(commandArgs);
    attempts++;
    if (result.signal === 'SIGKILL') kills++;
    // A killed training child makes the bench record a failed run (exit 1); the next bench retrains it.
    else if (result.code === 0) break;
    else if (!(killChild && result.code === 1)) throw new Error(`bench ${index}: failed (${result.code}):\n${result.stderr}`);
    else kills++;
  }
  if (benchRecord(out) !== reference) throw new Error(`bench ${index}: results differ from the uninterrupted bench (${out})`);
  log(`bench trial ${index}: ${attempts} attempts, identical to the uninterrupted bench`);
}

try {
  let t = Date.now();
  await runToEnd(['train', '--config', trainFile, '--out', join(work, 'train-reference')]);
  const trainMs = Date.now() - t;
  const trainReference = runRecord(join(work, 'train-reference'));
  t = Date.now();
  await runToEnd(['bench', '--config', benchFile, '--out', join(work, 'bench-reference')]);
  const benchMs = Date.now() - t;
  const benchReference = benchRecord(join(work, 'bench-reference'));
  log(`references: train ${trainMs} ms, bench ${benchMs} ms; budget ${budgetMs / 1000} s`);
  // At least one trial of each kind, then alternate while the budget lasts.
  for (let i = 0; i === 0 || timeLeft() > Math.max(trainMs, benchMs) * 4; i++) {
    await trainTrial(trainReference, trainMs, i);
    await benchTrial(benchReference, benchMs, i);
    trials += 2;
  }
  log(`passed: ${trials} trials, ${kills} kills, every finished run identical to its reference`);
  if (!keep) rmSync(work, { recursive: true, force: true });
} catch (err) {
  log(`FAILED: ${err.message}\n(work folder kept: ${work}; replay with --seed ${seed})`);
  process.exitCode = 1;
}
