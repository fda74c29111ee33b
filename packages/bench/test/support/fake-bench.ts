import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseBenchConfig, type BenchConfig, type BenchResults, type TrainCommandBuilder } from '../../src/index.js';

export const fakeTrainScript = resolve(import.meta.dirname, 'fake-train.mjs');

/** Runs the fake trainer instead of `selfkd train`. */
export const fakeTrainCommand: TrainCommandBuilder = (configFile, outDir, resume) => ({
  command: process.execPath,
  args: [fakeTrainScript, configFile, outDir, resume ? '1' : '0'],
});

export function tempDir(prefix = 'selfkd-bench-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A bench config for the fake trainer: the base config only needs what the fake reads. */
export function fakeBenchConfig(raw: Record<string, unknown> = {}): BenchConfig {
  return parseBenchConfig({
    base: { data: { name: 'fake' }, model: { name: 'fake' }, train: { epochs: 3 }, fake: { epochMs: 20 } },
    combinations: [
      { name: 'baseline', regularizers: [] },
      { name: 'ls', regularizers: [{ type: 'label-smoothing', epsilon: 0.1 }] },
      { name: 'ls+sd', regularizers: [{ type: 'label-smoothing' }, { type: 'sd-dropout' }] },
    ],
    seeds: [0, 1, 2],
    ...raw,
  });
}

export function readResults(outDir: string): BenchResults {
  return JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as BenchResults;
}

/** results.json without what legitimately differs between two sweeps of the same config: timings and attempt counts. */
export function withoutTimings(results: BenchResults): unknown {
  const { startedAt: _startedAt, finishedAt: _finishedAt, wallSeconds: _wall, trainingSeconds: _training, cpuSeconds: _cpu, ...provenance } = results.provenance;
  return {
    ...results,
    provenance,
    combinations: results.combinations.map(({ seconds: _seconds, cpuSeconds: _cpuSeconds, ...c }) => c),
    runs: results.runs.map(({ seconds: _seconds, cpuSeconds: _cpuSeconds, attempts: _attempts, ...r }) => r),
  };
}
