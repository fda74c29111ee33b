// Training-step time of each regularizer and of the papers' combinations relative to plain
// cross-entropy, on the same model, data and backend, in one process (see README.md).
// Run from the repository root after building: `npx tsc -b && node benchmarks/regularizer-overhead/run.mjs`.
import console from 'node:console';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { buildCatalog } from '@selfkd/cli';
import { validateConfig } from '@selfkd/core';
import { train } from '@selfkd/trainer';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const MODEL = args.model ?? 'cnn';
const BACKEND = args.backend ?? 'wasm';
const BATCH = Number(args.batch ?? 128);
const STEPS = Number(args.steps ?? 10); // timed steps per run, after WARMUP
const WARMUP = 2;
const ROUNDS = Number(args.rounds ?? 8); // every configuration runs once per round, in turn, so drift hits all alike
const OUT = args.out ?? 'benchmarks/results/regularizer-overhead.md';
const ONLY = args.only?.split(','); // configuration names to time besides cross-entropy (default: all)

// Every built-in regularizer, loaded as the CLI loads them.
const { catalog, modules } = await buildCatalog();

// Tf-KD-self distils from a trained run of the same model: a short one is enough to time its steps.
const teacherDir = await mkdtemp(join(tmpdir(), 'selfkd-overhead-teacher-'));
const tfKdSelf = { type: 'tf-kd-self', teacher: teacherDir };
const taps = ['block1', 'block2'];
const sdDropout = { type: 'sd-dropout' };

/**
 * name → regularizers, the images one step trains on per batchSize (CS-KD adds a same-class partner
 * per anchor, DDGSD a second view, DLB's batch repeats the last step's chunk; BAKE's batch holds
 * batchSize rows, a quarter of them new, so it takes four times the steps per epoch instead), and the
 * issue's target for the per-image time ratio (undefined: no target).
 */
const CONFIGS = [
  { name: 'cross-entropy', regularizers: [] },
  { name: 'label-smoothing', regularizers: [{ type: 'label-smoothing' }], target: 1.05 },
  { name: 'ps-kd', regularizers: [{ type: 'ps-kd' }], target: 1.05 },
  { name: 'sd-dropout', regularizers: [sdDropout], target: 1.1 },
  { name: 'cs-kd', regularizers: [{ type: 'cs-kd' }], imagesPerBatchSize: 2 },
  { name: 'cs-kd + sd-dropout', regularizers: [{ type: 'cs-kd' }, sdDropout], imagesPerBatchSize: 2 },
  { name: 'ps-kd + sd-dropout', regularizers: [{ type: 'ps-kd' }, sdDropout] },
  { name: 'label-smoothing + sd-dropout', regularizers: [{ type: 'label-smoothing' }, sdDropout] },
  { name: 'tf-kd-reg', regularizers: [{ type: 'tf-kd-reg' }] },
  { name: 'mixup', regularizers: [{ type: 'mixup' }] },
  { name: 'cutmix', regularizers: [{ type: 'cutmix' }] },
  { name: 'ddgsd', regularizers: [{ type: 'ddgsd' }], imagesPerBatchSize: 2 },
  { name: 'bake', regularizers: [{ type: 'bake' }] },
  { name: 'dlb', regularizers: [{ type: 'dlb' }], imagesPerBatchSize: 2 },
  { name: 'byot', regularizers: [{ type: 'byot', taps }] },
  { name: 'byot + sd-dropout', regularizers: [{ type: 'byot', taps }, sdDropout] },
  { name: 'dks', regularizers: [{ type: 'dks', taps }] },
  { name: 'dks + sd-dropout', regularizers: [{ type: 'dks', taps }, sdDropout] },
  { name: 'frskd', regularizers: [{ type: 'frskd' }] },
  { name: 'frskd + sd-dropout', regularizers: [{ type: 'frskd' }, sdDropout] },
  { name: 'tf-kd-self', regularizers: [tfKdSelf] },
  { name: 'tf-kd-self + sd-dropout', regularizers: [tfKdSelf, sdDropout] },
].filter((c) => c.name === 'cross-entropy' || ONLY === undefined || ONLY.includes(c.name));

function configFor(regularizers, trainSize = BATCH * (WARMUP + STEPS)) {
  return validateConfig(
    {
      seed: 0,
      backend: BACKEND,
      data: { name: 'mnist-digits', trainSize },
      model: { name: MODEL },
      train: { epochs: 1, batchSize: BATCH, optimizer: { name: 'adam', lr: 0.001 } },
      regularizers,
    },
    catalog,
  );
}

/**
 * CPU time (user + system, ms) and wall time of each optimizer step of one epoch, measured between
 * the trainer's step reports. The wasm and cpu backends compute on this one thread, so CPU time is
 * the step's cost even while other processes compete for the cores, when wall time is not.
 */
async function stepTimes(regularizers) {
  const cpu = [];
  const wall = [];
  let lastCpu;
  let lastWall = 0;
  let backend = '';
  const reporter = {
    runStart: (info) => (backend = `${info.backend} (${info.provider})`),
    epochStart: () => {
      lastCpu = process.cpuUsage();
      lastWall = performance.now();
    },
    step: () => {
      const used = process.cpuUsage(lastCpu);
      cpu.push((used.user + used.system) / 1000);
      wall.push(performance.now() - lastWall);
      lastCpu = process.cpuUsage();
      lastWall = performance.now();
    },
  };
  const outDir = await mkdtemp(join(tmpdir(), 'selfkd-overhead-'));
  try {
    await train(configFor(regularizers), { outDir, modules, reporter });
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  return { cpu: cpu.slice(WARMUP), wall: wall.slice(WARMUP), backend };
}

/** The q-quantile (linear interpolation). */
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = q * (s.length - 1);
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
};
const median = (xs) => quantile(xs, 0.5);

if (CONFIGS.some((c) => c.regularizers.includes(tfKdSelf))) await train(configFor([], BATCH), { outDir: teacherDir, modules });

const loadBefore = loadavg()[1];
const cpuTimes = new Map(CONFIGS.map((c) => [c.name, []]));
const wallTimes = new Map(CONFIGS.map((c) => [c.name, []]));
const roundMedians = new Map(CONFIGS.map((c) => [c.name, []]));
let backendUsed = '';
for (let round = 1; round <= ROUNDS; round++) {
  // Each round starts one configuration later, so that no configuration always follows the same one.
  const order = CONFIGS.map((_, i) => CONFIGS[(i + round - 1) % CONFIGS.length]);
  for (const c of order) {
    const { cpu, wall, backend } = await stepTimes(c.regularizers);
    backendUsed = backend;
    cpuTimes.get(c.name).push(...cpu);
    wallTimes.get(c.name).push(...wall);
    roundMedians.get(c.name).push(median(cpu));
    console.log(`round ${round}/${ROUNDS}  ${c.name.padEnd(30)} median ${median(cpu).toFixed(1)} CPU ms/step, ${median(wall).toFixed(1)} wall ms/step`);
  }
}

const base = median(cpuTimes.get('cross-entropy'));
const rows = CONFIGS.map((c) => {
  const images = (c.imagesPerBatchSize ?? 1) * BATCH;
  const ms = median(cpuTimes.get(c.name));
  const perImage = ms / images / (base / BATCH);
  const verdict = c.target === undefined ? '' : perImage <= c.target ? `≤ ${c.target.toFixed(2)} ✓` : `≤ ${c.target.toFixed(2)} ✗`;
  const perRound = roundMedians.get(c.name);
  const spread = (Math.max(...perRound) - Math.min(...perRound)) / ms;
  return `| ${c.name} | ${images} | ${ms.toFixed(1)} | ±${((100 * spread) / 2).toFixed(1)}% | ${median(wallTimes.get(c.name)).toFixed(1)} | ${(ms / base).toFixed(3)} | ${perImage.toFixed(3)} | ${verdict} |`;
});
const report = [
  '# Regularizer overhead',
  '',
  `CPU time of a training step (forward, composed loss, gradients, optimizer update, regularizer hooks) of`,
  `\`model: ${MODEL}\` on mnist-digits, batch ${BATCH} anchors, Adam, relative to plain cross-entropy in the same process.`,
  `${ROUNDS} rounds × ${STEPS} timed steps per configuration (after ${WARMUP} warm-up steps per run), configurations interleaved in an order rotated each round.`,
  'CS-KD, DDGSD and DLB steps hold twice the batch size (partners, second views, the repeated chunk), so for them the ratio',
  'that counts is per image; BAKE steps hold the batch size, a quarter of it new images, so its epochs take four times the steps. BYOT and DKS: a branch on each of the two conv blocks; FRSKD: its BiFPN',
  'self-teacher over both; Tf-KD-self: a frozen teacher of the same model (trained for one short epoch first, untimed).',
  '',
  'Ratios compare median CPU time (user + system) per step: the backend computes on this one thread, so CPU time grows',
  'far less than wall time when other processes compete for the cores. Spread: half the range of the per-round medians',
  'relative to the overall median, the noise the ratios have to be read against. Wall: median wall time, for reference.',
  '',
  '| configuration | images/step | CPU ms/step | spread | wall ms/step | ratio per step | ratio per image | target |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Backend: ${backendUsed}; Node ${process.version}; ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; ${new Date().toISOString().slice(0, 10)}.`,
  `Machine load (5-minute load average) ${loadBefore.toFixed(2)} before and ${loadavg()[1].toFixed(2)} after the run, on ${cpus().length} cores.`,
  `Command: \`node benchmarks/regularizer-overhead/run.mjs${process.argv.slice(2).map((a) => ` ${a}`).join('')}\``,
  '',
];
await rm(teacherDir, { recursive: true, force: true });
await mkdir(join(OUT, '..'), { recursive: true });
await writeFile(OUT, report.join('\n'));
console.log(`\n${report.join('\n')}\nwritten to ${OUT}`);
