import { describe, expect, it } from 'vitest';
import { formatDuration, provenanceRows } from '../src/report/provenance-rows.js';

describe('provenance rows', () => {
  it('writes durations in the largest units that keep them readable', () => {
    expect(formatDuration(42)).toBe('42.0 s');
    expect(formatDuration(59.96)).toBe('1 min 0 s');
    expect(formatDuration(119.6)).toBe('1 min 59 s');
    expect(formatDuration(725)).toBe('12 min 5 s');
    expect(formatDuration(3 * 3600 + 2 * 60 + 59)).toBe('3 h 2 min');
  });

  it('says what is not recorded instead of leaving it blank', () => {
    const rows = new Map(
      provenanceRows({
        datasets: ['mnist-digits (train 2000, test 10000)', 'fashion-mnist (train 2000, test 10000)'],
        models: ['mlp(hidden=[128])'],
        epochs: [3],
        backends: ['wasm (x)'],
        selfkd: ['0.1.0 (core, trainer)'],
        tfjs: [],
        node: ['v20.20.2'],
        machines: [],
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:10:00.000Z',
        wallSeconds: 600,
        trainingSeconds: 1100,
        cpuSeconds: null,
      }),
    );
    expect(rows.get('dataset')).toBe('mnist-digits (train 2000, test 10000); fashion-mnist (train 2000, test 10000)');
    expect(rows.get('TensorFlow.js')).toBe('not recorded');
    expect(rows.get('machine')).toBe('not recorded');
    expect(rows.get('wall time')).toBe('10 min 0 s (2026-01-01T00:00:00.000Z → 2026-01-01T00:10:00.000Z, first run start to last run end)');
    expect(rows.get('training time')).toBe('summed over runs: 18 min 20 s wall, CPU time not recorded by these runs');
  });
});
