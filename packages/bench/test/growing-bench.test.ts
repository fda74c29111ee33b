import { describe, expect, it, vi } from 'vitest';
import { parseBenchConfig, runBench, type BenchConfigInput, type TrainCommandBuilder } from '../src/index.js';
import { fakeTrainCommand, readResults, tempDir } from './support/fake-bench.js';

const base = { data: { name: 'fake' }, model: { name: 'fake' }, train: { epochs: 2 }, fake: { epochMs: 5 } };

/** The run folders each bench trained, as `<combination>/seed-<s>`. */
async function trained(out: string, raw: BenchConfigInput): Promise<string[]> {
  const trainCommand = vi.fn<TrainCommandBuilder>(fakeTrainCommand);
  const outcome = await runBench(parseBenchConfig(raw), { out, workers: 2, trainCommand });
  expect(outcome.failed).toBe(0);
  return trainCommand.mock.calls.map(([, outDir]) => outDir.split('/runs/')[1]!).sort();
}

describe('a bench that grows', () => {
  it('trains only the new seeds, generated combinations and grid points, and reports old and new runs together', async () => {
    const out = tempDir();
    const first: BenchConfigInput = {
      base,
      generate: { regularizers: [{ type: 'label-smoothing' }] },
      grids: [{ combination: 'label-smoothing', values: { 'label-smoothing.epsilon': [0.1] } }],
      seeds: [0],
    };
    expect(await trained(out, first)).toEqual(['baseline/seed-0', 'label-smoothing[epsilon=0.1]/seed-0']);

    const grown: BenchConfigInput = {
      base,
      generate: { regularizers: [{ type: 'label-smoothing' }, { type: 'sd-dropout' }], maxSize: 2 },
      grids: [{ combination: 'label-smoothing', values: { 'label-smoothing.epsilon': [0.1, 0.2] } }],
      seeds: [0, 1],
    };
    expect(await trained(out, grown)).toEqual([
      'baseline/seed-1',
      'label-smoothing+sd-dropout/seed-0',
      'label-smoothing+sd-dropout/seed-1',
      'label-smoothing[epsilon=0.1]/seed-1',
      'label-smoothing[epsilon=0.2]/seed-0',
      'label-smoothing[epsilon=0.2]/seed-1',
      'sd-dropout/seed-0',
      'sd-dropout/seed-1',
    ]);
    const results = readResults(out);
    expect(results.runs.filter((r) => r.status === 'done')).toHaveLength(10);
    expect(results.combinations.filter((c) => c.group === 'label-smoothing').map((c) => c.name)).toEqual(['label-smoothing[epsilon=0.1]', 'label-smoothing[epsilon=0.2]']);
    expect(results.combinations.filter((c) => c.group === 'label-smoothing').map((c) => c.gridValues)).toEqual([{ 'label-smoothing.epsilon': 0.1 }, { 'label-smoothing.epsilon': 0.2 }]);
    expect(await trained(out, grown)).toEqual([]);
  });
});
