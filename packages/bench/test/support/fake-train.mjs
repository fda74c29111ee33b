// A stand-in for `selfkd train` that the bench tests run as a child process:
//   node fake-train.mjs CONFIG_FILE OUT_DIR RESUME(0|1)
// It writes a run folder as the trainer does (metrics.jsonl per epoch, checkpoints/latest.json,
// result.json with an eval report at the end) with metrics that are a fixed function of the
// config, so a run resumed from its checkpoint ends exactly as an uninterrupted one.
// Test knobs in the config's `fake` section: epochMs (sleep per epoch; the FAKE_EPOCH_MS
// environment variable overrides it without changing the config), failAlways (a message to fail
// with), crashOnceAtEpoch (exit after that epoch's metrics line, before its checkpoint, once).
// Two trainings in one folder at once is the bug the bench must never cause: the fake refuses to
// start while the process named in the folder's training.pid is alive.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const [configFile, outDir, resumeFlag] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, 'utf8'));
const fake = config.fake ?? {};
const started = Date.now();
const cpuStarted = process.cpuUsage();
const checkpointDir = join(outDir, 'checkpoints');
const latest = join(checkpointDir, 'latest.json');
const metricsFile = join(outDir, 'metrics.jsonl');

function writeAtomically(path, value) {
  writeFileSync(`${path}.tmp`, JSON.stringify(value));
  renameSync(`${path}.tmp`, path);
}


function cpuSecondsUsed() {
  const used = process.cpuUsage(cpuStarted);
  return (used.user + used.system) / 1e6;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

mkdirSync(outDir, { recursive: true });
const pidFile = join(outDir, 'training.pid');
const holder = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
if (holder && alive(holder)) {
  process.stderr.write(`another training (process ${holder}) is writing ${outDir}\n`);
  process.exit(4);
}
writeFileSync(pidFile, String(process.pid));
if (resumeFlag !== '1' && existsSync(latest)) {
  process.stderr.write(`${outDir} already holds a run with checkpoints\n`);
  process.exit(2);
}
let startEpoch = 0;
if (resumeFlag === '1' && existsSync(latest)) {
  startEpoch = JSON.parse(readFileSync(latest, 'utf8')).epoch;
  const kept = readFileSync(metricsFile, 'utf8').split('\n').filter((line) => line && JSON.parse(line).epoch <= startEpoch);
  writeFileSync(metricsFile, kept.map((line) => `${line}\n`).join(''));
  appendFileSync(join(outDir, 'resumed.log'), `${startEpoch}\n`);
} else {
  writeFileSync(metricsFile, '');
}

const strength = config.regularizers.length;
// The seed term interacts with the regularizers, so paired differences vary from seed to seed.
const quality = 0.8 + 0.02 * strength + 0.003 * config.seed + 0.002 * strength * (config.seed % 2);
const top1At = (epoch) => quality * (1 - 0.5 ** epoch);

for (let epoch = startEpoch + 1; epoch <= config.train.epochs; epoch++) {
  await sleep(Number(process.env.FAKE_EPOCH_MS ?? fake.epochMs ?? 20));
  const top1 = top1At(epoch);
  // One loss term per regularizer (named by its type), as the trainer logs them.
  const terms = Object.fromEntries(config.regularizers.map((r) => [r.type, 0.05 * (1 - top1)]));
  const train = { total: (1 - top1) * (1 + 0.05 * strength), task: 1 - top1, ...terms };
  const lr = 0.1 * (1 - (epoch - 1) / config.train.epochs);
  appendFileSync(metricsFile, JSON.stringify({ epoch, lr, train, test: { top1, nll: 1 - top1 }, seconds: 0.02 }) + '\n');
  if (fake.failAlways) {
    process.stderr.write(`fake training failed: ${fake.failAlways}\n`);
    process.exit(1);
  }
  const marker = join(outDir, 'crashed-once');
  if (fake.crashOnceAtEpoch === epoch && !existsSync(marker)) {
    writeFileSync(marker, '');
    process.stderr.write(`fake training crashed after epoch ${epoch}\n`);
    process.exit(3);
  }
  mkdirSync(checkpointDir, { recursive: true });
  writeAtomically(latest, { epoch });
}

const top1 = top1At(config.train.epochs);
const ece = 0.05 / (1 + strength) + 0.001 * config.seed;
const detection = (auroc) => ({ auroc, auprIn: auroc - 0.01, auprOut: auroc - 0.02, fprAt95Tpr: 1 - auroc });
const shiftAccuracy = (factor) => [1, 2, 3].map((severity) => top1 * (1 - factor * severity));
const corruptions = [
  { name: 'gaussian_noise', accuracy: shiftAccuracy(0.05) },
  { name: 'rotate', accuracy: shiftAccuracy(0.02 + 0.001 * strength) },
].map((c) => ({ ...c, mean: c.accuracy.reduce((s, a) => s + a, 0) / c.accuracy.length }));
const result = {
  metrics: { top1, nll: 1 - top1 },
  config,
  env: {
    backend: 'fake',
    provider: 'test',
    seed: config.seed,
    versions: { '@selfkd/trainer': '0.0.0-fake' },
    node: process.version,
    platform: 'fake-x64',
    machine: { cpu: 'Fake CPU', cores: 4 },
    splits: { train: 1000, test: 500 },
  },
  eval: {
    classification: { images: 1000, top1, top5: Math.min(1, top1 + 0.05), nll: 1 - top1, brier: (1 - top1) / 2 },
    calibration: {
      images: 1000,
      bins: 10,
      ece,
      mce: 2 * ece,
      ecePsKd: ece,
      reliability: Array.from({ length: 10 }, (_, i) => {
        const count = i < 5 ? 0 : 100 + 10 * i + config.seed;
        const confidence = (i + 0.5) / 10;
        return { lower: i / 10, upper: (i + 1) / 10, count, confidence: count ? confidence : null, accuracy: count ? confidence - ece : null };
      }),
    },
    adversarial: {
      fgsm: { images: 500, clean: top1, results: [0.01, 0.05, 0.1].map((eps) => ({ eps, accuracy: top1 * Math.exp((-eps * 10) / (1 + strength)) })) },
      pgd: { images: 200, eps: 0.03, steps: 10, stepSize: 0.01, randomStart: true, clean: top1, accuracy: 0.3 - 0.02 * strength }, // the regularizers make PGD accuracy worse here
    },
    ood: {
      inDistribution: { name: 'fake', images: 500 },
      sets: ['gaussian-noise', 'uniform-noise'].map((name, i) => ({
        name,
        images: 500,
        msp: detection(0.9 + 0.01 * strength - 0.05 * i + 0.001 * config.seed),
        odin: detection(0.92 + 0.01 * strength - 0.05 * i),
        energy: detection(0.91 + 0.01 * strength - 0.05 * i),
      })),
    },
    shift: { images: 500, severities: [1, 2, 3], clean: top1, corruptions, mean: corruptions.reduce((s, c) => s + c.mean, 0) / corruptions.length },
  },
  seconds: (Date.now() - started) / 1000,
  cost: { cpuSeconds: cpuSecondsUsed() },
};
writeAtomically(join(outDir, 'result.json'), result);
rmSync(pidFile);
