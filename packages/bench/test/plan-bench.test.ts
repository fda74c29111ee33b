import { describe, expect, it } from 'vitest';
import { formatPlan, parseBenchConfig, planBench, runBench, type BenchConfigInput } from '../src/index.js';
import { fakeTrainCommand, readResults, tempDir } from './support/fake-bench.js';

const raw: BenchConfigInput = {
  base: { data: { name: 'fake' }, model: { name: 'fake' }, train: { epochs: 2 }, fake: { epochMs: 5 } },
  combinations: [
    { name: 'baseline', regularizers: [] },
    { name: 'ls', regularizers: [{ type: 'label-smoothing' }] },
  ],
  grids: [{ combination: 'ls', values: { 'label-smoothing.epsilon': [0.1, 0.2] } }],
  seeds: [0],
};

describe('planBench', () => {
  it('counts finished runs, estimates the others from their combination’s recorded times, else from the step time', async () => {
    const out = tempDir();
    const empty = planBench(parseBenchConfig(raw), { out, workers: 2, secondsPerRun: (run) => (run.combination === 'baseline' ? 10 : 20) });
    expect(empty).toMatchObject({ combinations: 3, groups: 1, seeds: 1, finished: 0, toRun: 3, trainingSeconds: 50, wallSeconds: 25 });
    expect(formatPlan(empty)).toContain('  ls[epsilon=0.1]/seed-0  [group ls]  to train, ~20 s (step time)');

    await runBench(parseBenchConfig(raw), { out, workers: 2, trainCommand: fakeTrainCommand });
    const recorded = readResults(out).runs;
    const grown = planBench(parseBenchConfig({ ...raw, seeds: [0, 1] }), { out, workers: 4 });
    expect(grown).toMatchObject({ finished: 3, toRun: 3 });
    const baseline1 = grown.runs.find((r) => r.key === 'baseline/seed-1')!;
    expect(baseline1).toMatchObject({ finished: false, estimateFrom: 'recorded runs', estimateSeconds: recorded.find((r) => r.combination === 'baseline')!.seconds });
    expect(grown.wallSeconds).toBeCloseTo(recorded.reduce((sum, r) => sum + r.seconds!, 0) / 3, 9);
    expect(formatPlan(grown)).toContain('  baseline/seed-0  finished');
    expect(formatPlan(planBench(parseBenchConfig(raw), { out, workers: 1 }))).toContain('nothing to train');
  });
});
