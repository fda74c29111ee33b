import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventFilesIn, offlineRunsIn, readEventFile, readOfflineRun } from '@selfkd/tracking';
import { runCli } from './support/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'selfkd-tracking-'));

const trainSize = 300;
const batchSize = 50;
/** A training config (JSON is a config format too) small enough to train in seconds, ending with the calibration suite. */
function smallConfig(epochs: number, withEval = true): string {
  return JSON.stringify({
    seed: 2,
    backend: 'wasm',
    data: { name: 'mnist-digits', trainSize },
    model: { name: 'mlp', hidden: [16] },
    train: { epochs, batchSize, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 } },
    regularizers: [{ type: 'label-smoothing' }],
    ...(withEval ? { eval: { suite: 'calibration' } } : {}),
  });
}

/** Every number of a nested record as [`a/b`, value]. */
function leaves(value: unknown, prefix = ''): [string, number][] {
  if (typeof value === 'number') return [[prefix, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}/${k}` : k));
}

describe('selfkd train with trackers', () => {
  it('--tensorboard, --mlflow and --wandb record every epoch metric of metrics.jsonl with its epoch, every step, and the evaluation', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), smallConfig(2));
    const out = join(dir, 'run');
    const r = await runCli([
      'train', '--config', join(dir, 'config.json'), '--out', out,
      '--tensorboard', join(dir, 'tb'), '--mlflow', join(dir, 'mlruns'), '--wandb', join(dir, 'wandb'),
    ]);
    expect(r.status, r.stderr).toBe(0);

    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const [file, ...others] = eventFilesIn(join(dir, 'tb'));
    expect(others).toEqual([]);
    const { events, stopped } = readEventFile(file!);
    expect(stopped).toBeUndefined();
    const values = events.flatMap((e) => e.values.map((v) => ({ step: e.step, ...v })));
    const scalar = (tag: string, step: number) => values.filter((v) => v.kind === 'scalar' && v.tag === tag && v.step === step).map((v) => (v as { value: number }).value);

    for (const { epoch, ...record } of metrics) {
      for (const [tag, value] of leaves(record)) expect(scalar(tag, epoch), tag).toEqual([Math.fround(value)]);
    }
    const stepsPerEpoch = trainSize / batchSize;
    expect(values.filter((v) => v.tag === 'step/loss/total').map((v) => v.step)).toEqual(Array.from({ length: 2 * stepsPerEpoch }, (_, i) => i + 1));
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(scalar('eval/calibration/ece', 2)).toEqual([Math.fround(result.eval.calibration.ece)]);
    expect(values.filter((v) => v.kind === 'image').map((v) => v.tag).sort()).toEqual(['curves/loss', 'curves/top1', 'eval/reliability_diagram']);
    const configText = values.find((v) => v.tag === 'config') as { text: string };
    expect(JSON.parse(configText.text)).toMatchObject({ seed: 2, logging: { tensorboard: join(dir, 'tb'), mlflow: join(dir, 'mlruns') } });

    const experiment = readdirSync(join(dir, 'mlruns')).find((e) => !['.trash', '0'].includes(e))!;
    const [runId] = readdirSync(join(dir, 'mlruns', experiment)).filter((e) => e !== 'meta.yaml');
    const runDir = join(dir, 'mlruns', experiment, runId!);
    expect(readFileSync(join(runDir, 'meta.yaml'), 'utf8')).toMatch(/^status: 3$/m);
    expect(readFileSync(join(runDir, 'tags', 'mlflow.runName'), 'utf8')).toBe('run');
    expect(readFileSync(join(runDir, 'params', 'train.optimizer.lr'), 'utf8')).toBe('0.05');
    const lines = readFileSync(join(runDir, 'metrics', 'test', 'top1'), 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(' ').slice(1))).toEqual(metrics.map((m) => [String(m.test.top1), String(m.epoch)]));

    const [wandbRun, ...otherRuns] = offlineRunsIn(join(dir, 'wandb'));
    expect(otherRuns).toEqual([]);
    const wandb = readOfflineRun(wandbRun!);
    expect(wandb.stopped).toBeUndefined();
    const rows = wandb.records.flatMap((rec) => (rec.kind === 'history' ? [Object.fromEntries(rec.items.map((i) => [i.key, JSON.parse(i.valueJson)]))] : []));
    for (const { epoch, ...record } of metrics) {
      const row = rows.find((candidate) => candidate.epoch === epoch && 'test/top1' in candidate)!;
      for (const [key, value] of leaves(record)) expect(row[key], key).toBe(value);
    }
    expect(rows.filter((row) => 'step/loss/total' in row)).toHaveLength(2 * stepsPerEpoch);
    expect(rows.at(-1)!['eval/calibration/ece']).toBe(result.eval.calibration.ece);
    expect(wandb.records.find((rec) => rec.kind === 'run')).toMatchObject({ run: { project: 'selfkd', displayName: 'run' } });
    expect(wandb.records.find((rec) => rec.kind === 'exit')).toMatchObject({ exitCode: 0 });
  });

  it('uses a reporter that a third-party package under plugins: contributes, next to the logging trackers', async () => {
    const dir = tmp();
    const config = { ...JSON.parse(smallConfig(2, false)), plugins: [resolve(import.meta.dirname, 'fixtures', 'epoch-lines-reporter.mjs')], reporters: [{ name: 'epoch-lines', file: 'epochs.txt' }] };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const out = join(dir, 'run');
    const r = await runCli(['train', '--config', join(dir, 'config.json'), '--out', out, '--wandb', join(dir, 'wandb')]);
    expect(r.status, r.stderr).toBe(0);
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(readFileSync(join(out, 'epochs.txt'), 'utf8')).toBe(metrics.map((m) => `epoch ${m.epoch} ${m.test.top1}\n`).join(''));
    expect(offlineRunsIn(join(dir, 'wandb'))).toHaveLength(1);

    // Its options are validated like any component's, before training.
    config.reporters = [{ name: 'epoch-lines', file: 'epochs.txt', colour: 'red' }];
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(config));
    const bad = await runCli(['train', '--config', join(dir, 'bad.json'), '--out', join(dir, 'bad')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('reporters[0].colour');
  });

  it('trains to the end when the TensorBoard folder cannot be written, saying so once', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), smallConfig(1, false));
    writeFileSync(join(dir, 'occupied'), 'a file, not a folder');
    const r = await runCli(['train', '--config', join(dir, 'config.json'), '--out', join(dir, 'run'), '--tensorboard', join(dir, 'occupied', 'tb')]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'run', 'result.json'))).toBe(true);
    expect(r.stderr.match(/tensorboard logging is off/g)).toHaveLength(1);
  });

  it('resumes a run with other logging destinations: where a run is recorded is not part of its config identity', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), smallConfig(1, false));
    const out = join(dir, 'run');
    expect((await runCli(['train', '--config', join(dir, 'config.json'), '--out', out])).status).toBe(0);
    const resumed = await runCli(['train', '--resume', out, '--tensorboard', join(dir, 'tb')]);
    expect(resumed.status, resumed.stderr).toBe(0);
    const [file] = eventFilesIn(join(dir, 'tb'));
    expect(readEventFile(file!).events.some((e) => e.values.some((v) => v.tag === 'config'))).toBe(true);
  });

  it('rejects a bad logging section before training, naming the key, the value and what is allowed', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), smallConfig(1));
    const r = await runCli(['train', '--config', join(dir, 'config.json'), '--out', join(dir, 'run'), '--set', 'logging.tensorbord=tb']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('logging.tensorbord: unknown key "tensorbord"; allowed keys: tensorboard, mlflow, experiment, wandb, project, runName (got "tb")');
  });

  it('gives each bench run its own TensorBoard folder', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'bench.yaml'),
      `
base:
  backend: wasm
  data: { name: mnist-digits, trainSize: 100 }
  model: { name: mlp, hidden: [8] }
  train: { epochs: 1, batchSize: 50, optimizer: { name: adam, lr: 0.003 } }
  logging: { tensorboard: ${JSON.stringify(join(dir, 'tb'))} }
combinations:
  - { name: baseline, regularizers: [] }
  - { name: label-smoothing, regularizers: [{ type: label-smoothing }] }
seeds: [0]
`,
    );
    const r = await runCli(['bench', '--config', join(dir, 'bench.yaml'), '--out', join(dir, 'out'), '--workers', '1']);
    expect(r.status, r.stderr).toBe(0);
    for (const combination of ['baseline', 'label-smoothing']) {
      const files = eventFilesIn(join(dir, 'tb', combination, 'seed-0'));
      expect(files).toHaveLength(1);
      expect(readEventFile(files[0]!).events.some((e) => e.values.some((v) => v.tag === 'test/top1' && e.step === 1))).toBe(true);
    }
  });
});
