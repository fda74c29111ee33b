import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrackingReporter } from '../src/tracking-reporter.js';
import { offlineRunsIn, readOfflineRun } from '../src/wandb/offline-run-reader.js';
import type { DecodedWandbRecord } from '../src/wandb/record-decoding.js';
import { createWandbReporter } from '../src/wandb/wandb-reporter.js';
import { EPOCHS, evaluationReport, simulateRun, STEPS, stepLosses } from './support/simulated-run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'selfkd-wandb-'));
const config = { seed: 1, train: { epochs: 2, optimizer: { name: 'sgd', lr: 0.1 } } };

type Kind<K extends DecodedWandbRecord['kind']> = Extract<DecodedWandbRecord, { kind: K }>;
const json = (items: readonly { key: string; valueJson: string }[]) => Object.fromEntries(items.map((i) => [i.key, JSON.parse(i.valueJson)]));

function onlyRun(dir: string) {
  const runs = offlineRunsIn(dir);
  expect(runs).toHaveLength(1);
  const { records, stopped } = readOfflineRun(runs[0]!);
  expect(stopped).toBeUndefined();
  return { runDir: runs[0]!, records };
}

describe('offline W&B runs', () => {
  it('lays a run out as wandb does: offline-run-<time>-<id>/run-<id>.wandb and files/', () => {
    const dir = tmp();
    simulateRun(createWandbReporter({ dir, project: 'kd' }, { runName: 'quick', config }));
    const { runDir, records } = onlyRun(dir);
    const run = (records.find((r) => r.kind === 'run') as Kind<'run'>).run;
    expect(basename(runDir)).toMatch(new RegExp(`^offline-run-\\d{8}_\\d{6}-${run.runId}$`));
    expect(run.runId).toMatch(/^[a-z0-9]{8}$/);
    expect(readdirSync(runDir).sort()).toEqual(['files', `run-${run.runId}.wandb`]);
    expect(JSON.parse(readFileSync(join(runDir, 'files', 'wandb-summary.json'), 'utf8'))).toMatchObject({ 'test/top1': 0.6, 'eval/calibration/ece': 0.05 });
  });

  it('writes header, run, one history row per step, epoch and evaluation, then summary, exit 0 and final, numbered from 1', () => {
    const dir = tmp();
    const records = simulateRun(createWandbReporter({ dir, project: 'kd', entity: 'lab' }, { runName: 'quick', config }));
    const log = onlyRun(dir).records;
    const rows = EPOCHS * (STEPS + 1) + 1;
    expect(log.map((r) => r.kind)).toEqual(['header', 'run', ...Array<string>(rows).fill('history'), 'summary', 'exit', 'final']);
    expect(log.map((r) => r.num)).toEqual(log.map((_, i) => i + 1));
    expect(log[0]).toMatchObject({ producer: 'selfkd' });

    const run = (log[1] as Kind<'run'>).run;
    expect(run).toMatchObject({ project: 'kd', entity: 'lab', displayName: 'quick' });
    expect(Math.abs(run.startTime - Date.now())).toBeLessThan(60_000);
    expect(json(run.config)).toEqual({ ...config, selfkd: { backend: 'cpu', provider: 'test', stepsPerEpoch: STEPS, trainSamples: 30, startEpoch: 0 } });

    const history = log.filter((r): r is Kind<'history'> => r.kind === 'history').map((r) => ({ step: r.step, values: json(r.items) }));
    expect(history.map((h) => h.step)).toEqual(history.map((_, i) => i));
    expect(history.map((h) => h.values._step)).toEqual(history.map((_, i) => i));
    // Step rows: that step's own loss (not the running mean), with the epoch as a fraction and the global step.
    const secondEpochFirstStep = history[STEPS + 1]!.values;
    for (const [term, loss] of Object.entries(stepLosses(1, 1))) expect(secondEpochFirstStep[`step/loss/${term}`]).toBeCloseTo(loss, 12);
    expect(secondEpochFirstStep).toMatchObject({ epoch: 1 + 1 / STEPS, global_step: STEPS + 1, 'step/samples_per_second': 101 });
    // Epoch rows: every number of the epoch record, at its epoch.
    const secondEpoch = history[2 * STEPS + 1]!.values;
    expect(secondEpoch).toMatchObject({ epoch: 2, global_step: 2 * STEPS, lr: records[1]!.lr, 'test/top1': 0.6, 'test/nll': 0.9, seconds: 2.25 });
    for (const [term, loss] of Object.entries(records[1]!.train)) expect(secondEpoch[`train/${term}`]).toBe(loss);
    // The evaluation row: its metrics without the reliability bins.
    const evaluation = history.at(-1)!.values;
    expect(evaluation).toMatchObject({ epoch: 2, 'eval/classification/top1': evaluationReport.classification.top1, 'eval/calibration/ece': 0.05 });
    expect(Object.keys(evaluation).some((k) => k.includes('reliability'))).toBe(false);
    for (const row of history) expect(row.values._runtime).toBeGreaterThanOrEqual(0);

    const summary = json((log.at(-3) as Kind<'summary'>).update);
    expect(summary).toMatchObject({ 'test/top1': 0.6, 'eval/calibration/ece': 0.05, _step: rows - 1, epoch: 2 });
    expect(log.at(-2)).toMatchObject({ kind: 'exit', exitCode: 0 });
  });

  it('exits 1 (failed) when the run stopped before its last epoch', () => {
    const dir = tmp();
    simulateRun(createWandbReporter({ dir, project: 'kd' }, { runName: 'r' }), 1);
    expect(onlyRun(dir).records.find((r) => r.kind === 'exit')).toMatchObject({ exitCode: 1 });
  });

  it('leaves out values that are not finite, which W&B JSON cannot hold', () => {
    const dir = tmp();
    const reporter = createWandbReporter({ dir, project: 'kd' }, { runName: 'r' });
    reporter.runStart!({ backend: 'cpu', provider: 't', seed: 0, totalEpochs: 1, startEpoch: 0, stepsPerEpoch: 1, trainSamples: 1, regularizers: [] });
    reporter.epochStart!(0, 1, 1);
    reporter.step!({ epoch: 0, stepInEpoch: 1, stepsPerEpoch: 1, samplesPerSecond: 1, losses: { total: Number.NaN, task: 1 } });
    reporter.close!();
    const row = onlyRun(dir).records.find((r): r is Kind<'history'> => r.kind === 'history')!;
    expect(row.items.map((i) => i.key)).not.toContain('step/loss/total');
    expect(json(row.items)['step/loss/task']).toBe(1);
  });

  it('keeps the complete records of a run killed mid-way', () => {
    const dir = tmp();
    const reporter = createWandbReporter({ dir, project: 'kd' }, { runName: 'r' });
    simulateRun({ ...reporter, close: undefined });
    const { records } = onlyRun(dir);
    // Nothing after the last flush (the evaluation) is lost, and no exit record was written.
    expect(records.at(-1)?.kind).toBe('history');
    expect(records.some((r) => r.kind === 'exit')).toBe(false);
  });

  it('a W&B folder that cannot be created is reported once and the other trackers go on', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'taken'), 'a file where the W&B folder should be');
    const warnings: string[] = [];
    const reporter = createTrackingReporter({ wandb: join(dir, 'taken', 'wandb'), tensorboard: join(dir, 'tb') }, { runName: 'r', warn: (m) => warnings.push(m) });
    expect(() => simulateRun(reporter!)).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^wandb: .*(ENOTDIR|EEXIST).*wandb logging is off for the rest of this run/);
    expect(existsSync(join(dir, 'tb'))).toBe(true);
  });
});
