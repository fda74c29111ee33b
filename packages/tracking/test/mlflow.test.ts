import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { numericLeaves } from '../src/flatten.js';
import { createMlflowReporter } from '../src/mlflow/mlflow-reporter.js';
import { EPOCHS, simulateRun, STEPS, stepLosses } from './support/simulated-run.js';

/**
 * No MLflow can be installed here (it is neither a Debian package nor on the npm registry; the npm
 * package `mlflow` is a REST client), so these are schema tests against MLflow's documented file
 * store: the layout under mlruns/, the meta.yaml fields its FileStore reads (status as the RunStatus
 * integer, source_type 4 = LOCAL, experiment_id a string), and metric files of "<ms> <value> <step>"
 * lines.
 */
const tmp = () => mkdtempSync(join(tmpdir(), 'selfkd-mlflow-'));
const config = { seed: 3, train: { epochs: 2, optimizer: { name: 'sgd', lr: 0.1 }, schedule: { name: 'multistep', milestones: [5, 8] } }, regularizers: [{ type: 'label-smoothing', epsilon: 0.1 }] };

function runDirs(store: string): { experimentId: string; runDir: string }[] {
  return readdirSync(store)
    .filter((e) => e !== '.trash' && e !== '0')
    .flatMap((experimentId) =>
      readdirSync(join(store, experimentId))
        .filter((e) => e !== 'meta.yaml')
        .map((run) => ({ experimentId, runDir: join(store, experimentId, run) })),
    );
}

function metric(runDir: string, key: string): { timestamp: number; value: number; step: number }[] {
  return readFileSync(join(runDir, 'metrics', key), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const parts = line.split(' ');
      expect(parts).toHaveLength(3);
      return { timestamp: Number(parts[0]), value: Number(parts[1]), step: Number(parts[2]) };
    });
}

describe('MLflow file store export', () => {
  it('lays out experiment and run as MLflow FileStore does, with a finished status', () => {
    const store = tmp();
    const before = Date.now();
    simulateRun(createMlflowReporter({ dir: store, experiment: 'selfkd-test' }, { runName: 'ls/seed-3', config }));
    expect(readdirSync(store).sort()).toEqual(expect.arrayContaining(['.trash', '0']));
    expect(parse(readFileSync(join(store, '0', 'meta.yaml'), 'utf8'))).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active' });

    const { experimentId, runDir } = runDirs(store)[0]!;
    const experiment = parse(readFileSync(join(store, experimentId, 'meta.yaml'), 'utf8'));
    expect(experiment).toEqual({
      artifact_location: expect.stringMatching(/^file:\/\//),
      creation_time: expect.any(Number),
      experiment_id: experimentId,
      last_update_time: expect.any(Number),
      lifecycle_stage: 'active',
      name: 'selfkd-test',
    });
    expect(experimentId).toMatch(/^\d+$/);
    expect(fileURLToPath(experiment.artifact_location)).toBe(join(store, experimentId));

    const meta = parse(readFileSync(join(runDir, 'meta.yaml'), 'utf8'));
    const runId = runDir.split('/').at(-1)!;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(meta).toMatchObject({ run_id: runId, run_uuid: runId, run_name: 'ls/seed-3', experiment_id: experimentId, status: 3, source_type: 4, lifecycle_stage: 'active', tags: [] });
    expect(typeof meta.experiment_id).toBe('string');
    expect(meta.start_time).toBeGreaterThanOrEqual(before);
    expect(meta.end_time).toBeGreaterThanOrEqual(meta.start_time);
    expect(fileURLToPath(meta.artifact_uri)).toBe(join(runDir, 'artifacts'));
    expect(existsSync(join(runDir, 'artifacts'))).toBe(true);
    expect(readFileSync(join(runDir, 'tags', 'mlflow.runName'), 'utf8')).toBe('ls/seed-3');
    expect(readFileSync(join(runDir, 'tags', 'selfkd.backend'), 'utf8')).toBe('cpu');
  });

  it('stores the config as params and every metric with its step, per epoch and per step', () => {
    const store = tmp();
    const records = simulateRun(createMlflowReporter({ dir: store, experiment: 'e' }, { runName: 'r', config }));
    const { runDir } = runDirs(store)[0]!;
    const param = (key: string) => readFileSync(join(runDir, 'params', key), 'utf8');
    expect(param('seed')).toBe('3');
    expect(param('train.optimizer.lr')).toBe('0.1');
    expect(param('train.schedule.milestones')).toBe('[5,8]');
    expect(param('regularizers.0.type')).toBe('label-smoothing');

    for (const record of records) {
      const { epoch, ...numbers } = record;
      for (const [key, value] of numericLeaves(numbers)) expect(metric(runDir, key).find((m) => m.step === epoch)?.value).toBe(value);
    }
    for (const [term, loss] of Object.entries(stepLosses(1, 2))) {
      expect(metric(runDir, `step/loss/${term}`).find((m) => m.step === STEPS + 2)?.value).toBeCloseTo(loss, 12);
    }
    expect(metric(runDir, 'step/loss/task')).toHaveLength(EPOCHS * STEPS);
    expect(metric(runDir, 'eval/calibration/ece')).toEqual([{ timestamp: expect.any(Number), value: 0.05, step: EPOCHS }]);
  });

  it('reuses an experiment by name, also one MLflow created (unquoted name), and marks an unfinished run FAILED', () => {
    const store = tmp();
    mkdirSync(join(store, '42'));
    writeFileSync(join(store, '42', 'meta.yaml'), "artifact_location: file:///x\nexperiment_id: '42'\nlifecycle_stage: active\nname: made by mlflow\n");
    simulateRun(createMlflowReporter({ dir: store, experiment: 'made by mlflow' }, { runName: 'a' }));
    simulateRun(createMlflowReporter({ dir: store, experiment: 'made by mlflow' }, { runName: 'b' }), 1);
    const runs = runDirs(store);
    expect(runs.map((r) => r.experimentId)).toEqual(['42', '42']);
    const statuses = runs.map((r) => parse(readFileSync(join(r.runDir, 'meta.yaml'), 'utf8'))).map((m) => [m.run_name, m.status]);
    expect(statuses.sort()).toEqual([['a', 3], ['b', 4]]);
  });

  it('gives a new experiment the same id in every process, so parallel bench runs share it', () => {
    const [a, b] = [tmp(), tmp()];
    simulateRun(createMlflowReporter({ dir: a, experiment: 'bench-x' }, { runName: 'r' }));
    simulateRun(createMlflowReporter({ dir: b, experiment: 'bench-x' }, { runName: 'r' }));
    expect(runDirs(a)[0]!.experimentId).toBe(runDirs(b)[0]!.experimentId);
  });
});
