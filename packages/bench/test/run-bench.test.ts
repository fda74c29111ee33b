import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, hasCheckpoint } from '@selfkd/core';
import { BenchDatabase, DATABASE_FILE, runBench, type BenchProgress, type BenchResults, type TrainCommandBuilder } from '../src/index.js';
import { fakeBenchConfig, fakeTrainCommand, readResults, tempDir, withoutTimings } from './support/fake-bench.js';

/** What the fake trainer reports as the final test top-1 (see fake-train.mjs). */
function fakeTop1(regularizers: number, seed: number, epochs = 3): number {
  return (0.8 + 0.02 * regularizers + 0.003 * seed + 0.002 * regularizers * (seed % 2)) * (1 - 0.5 ** epochs);
}

function sampleStd(values: number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
}

function spyCommand(): TrainCommandBuilder & { mock: { calls: unknown[][] } } {
  return vi.fn(fakeTrainCommand);
}

function readDatabase<T>(outDir: string, read: (db: BenchDatabase) => T): T {
  const db = BenchDatabase.open(join(outDir, DATABASE_FILE));
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('runBench with a fake trainer', () => {
  const config = fakeBenchConfig();
  let reference: string;
  let referenceResults: BenchResults;
  const events: BenchProgress[] = [];

  beforeAll(async () => {
    reference = tempDir();
    const outcome = await runBench(config, { out: reference, workers: 2, trainCommand: fakeTrainCommand, onProgress: (p) => events.push(p) });
    expect(outcome).toMatchObject({ total: 9, done: 9, failed: 0, interrupted: false });
    referenceResults = readResults(reference);
  });

  it('records one finished row per combination and seed, with provenance and metrics', () => {
    const runs = readDatabase(reference, (db) => db.runs());
    expect(runs).toHaveLength(9);
    for (const run of runs) {
      expect(run).toMatchObject({ status: 'done', attempts: 1, backend: 'fake', pid: null, error: null });
      expect(run.versions).toEqual({ '@selfkd/trainer': '0.0.0-fake' });
      expect(run.configHash).toMatch(/^[0-9a-f]{16}$/);
      expect(Date.parse(run.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(run.startedAt!));
    }
    const completed = readDatabase(reference, (db) => db.completedRuns());
    const ls1 = completed.find((r) => r.combination === 'ls' && r.seed === 1)!;
    expect(ls1.metrics.find((m) => m.name === 'top1')!.value).toBeCloseTo(fakeTop1(1, 1), 12);
    expect(ls1.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
  });

  it('records where the numbers come from and the CPU time of each training', () => {
    const { provenance } = referenceResults;
    expect(provenance).toMatchObject({
      datasets: ['fake (train 1000, test 500)'],
      models: ['fake'],
      epochs: [3],
      backends: ['fake (test)'],
      selfkd: ['0.0.0-fake (trainer)'],
      tfjs: [],
      node: [process.version],
      machines: ['Fake CPU × 4 cores (fake-x64)'],
    });
    const runs = readDatabase(reference, (db) => db.runs());
    const starts = runs.map((r) => Date.parse(r.startedAt!));
    const ends = runs.map((r) => Date.parse(r.finishedAt!));
    expect(provenance.wallSeconds).toBeCloseTo((Math.max(...ends) - Math.min(...starts)) / 1000, 6);
    expect(provenance.trainingSeconds).toBeCloseTo(runs.reduce((s, r) => s + r.seconds!, 0), 9);
    for (const run of referenceResults.runs) expect(run.cpuSeconds).toBeGreaterThan(0);
    expect(provenance.cpuSeconds).toBeCloseTo(referenceResults.runs.reduce((s, r) => s + r.cpuSeconds!, 0), 9);
    const ls = referenceResults.combinations.find((c) => c.name === 'ls')!;
    expect(ls.cpuSeconds!.mean).toBeCloseTo(referenceResults.runs.filter((r) => r.combination === 'ls').reduce((s, r) => s + r.cpuSeconds!, 0) / 3, 9);
  });

  it('runs at most `workers` trainings at once, and uses them all', () => {
    // The sweep's own count of live processes; the trainings' wall-clock intervals need not overlap
    // on a loaded machine, where starting a process can take longer than a fake training.
    expect(Math.max(...events.map((e) => e.running))).toBe(2);
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({ total: 9, done: 9, running: 0, failed: 0, pending: 0, etaSeconds: 0 });
    expect(events.filter((e) => e.event.kind === 'started')).toHaveLength(9);
  });

  it('aggregates mean, std, t interval and the paired t-test against the baseline', () => {
    const seeds = [0, 1, 2];
    const ls = seeds.map((s) => fakeTop1(1, s));
    const baseline = seeds.map((s) => fakeTop1(0, s));
    const top1 = referenceResults.combinations.find((c) => c.name === 'ls')!.metrics.top1!;
    const mean = ls.reduce((s, v) => s + v, 0) / 3;
    // t_{0.975, 2} = 4.3026527 (tables).
    const half = (4.3026527 * sampleStd(ls)) / Math.sqrt(3);
    expect(top1.n).toBe(3);
    expect(top1.mean).toBeCloseTo(mean, 12);
    expect(top1.std).toBeCloseTo(sampleStd(ls), 12);
    expect(top1.ciLow).toBeCloseTo(mean - half, 6);
    expect(top1.ciHigh).toBeCloseTo(mean + half, 6);

    const differences = ls.map((v, i) => v - baseline[i]!);
    const t = differences.reduce((s, v) => s + v, 0) / 3 / (sampleStd(differences) / Math.sqrt(3));
    const comparison = referenceResults.comparisons.find((c) => c.combination === 'ls' && c.metric === 'top1')!;
    expect(comparison.t).toBeCloseTo(t, 8);
    // Two-sided p from the closed-form CDF of t with 2 degrees of freedom.
    expect(comparison.p).toBeCloseTo(1 - t / Math.sqrt(t * t + 2), 10);
    expect(referenceResults.comparisons.some((c) => c.combination === 'baseline')).toBe(false);
  });

  it('picks the best combination per metric in the right direction', () => {
    const best = new Map(referenceResults.best.map((b) => [b.metric, b.combination]));
    expect(best.get('top1')).toBe('ls+sd');
    expect(best.get('nll')).toBe('ls+sd');
    expect(best.get('ece')).toBe('ls+sd');
    expect(referenceResults.best.find((b) => b.metric === 'ece')!.direction).toBe('lower');
  });

  it('pools reliability bins and gives each per-epoch series its mean and range over seeds', () => {
    const baseline = referenceResults.combinations.find((c) => c.name === 'baseline')!;
    expect(baseline.curves.testTop1.map((p) => p.epoch)).toEqual([1, 2, 3]);
    const firstEpoch = [0, 1, 2].map((seed) => fakeTop1(0, seed, 1));
    expect(baseline.curves.testTop1[0]!.n).toBe(3);
    expect(baseline.curves.testTop1[0]!.mean).toBeCloseTo(firstEpoch.reduce((s, v) => s + v, 0) / 3, 12);
    expect(baseline.curves.testTop1[0]!.min).toBeCloseTo(fakeTop1(0, 0, 1), 12);
    expect(baseline.curves.testTop1[0]!.max).toBeCloseTo(fakeTop1(0, 2, 1), 12);
    // lr = 0.1·(1 − (epoch − 1)/3) in every seed: a band of zero width.
    expect(baseline.curves.lr.map((p) => [p.epoch, p.min, p.max])).toEqual([1, 2, 3].map((e) => [e, 0.1 * (1 - (e - 1) / 3), 0.1 * (1 - (e - 1) / 3)]));
    const lsSd = referenceResults.combinations.find((c) => c.name === 'ls+sd')!;
    expect(Object.keys(baseline.curves.train)).toEqual(['total', 'task']);
    expect(Object.keys(lsSd.curves.train)).toEqual(['total', 'task', 'label-smoothing', 'sd-dropout']);
    expect(lsSd.curves.train['sd-dropout']![2]!.mean).toBeCloseTo([0, 1, 2].reduce((s, seed) => s + 0.05 * (1 - fakeTop1(2, seed, 3)), 0) / 3, 12);
    const bin = baseline.reliability![7]!;
    // Counts 100 + 10·7 + seed for seeds 0..2; accuracy = 0.75 − ECE with ECE = 0.05 + 0.001·seed.
    const counts = [170, 171, 172];
    expect(bin.count).toBe(513);
    expect(bin.accuracy).toBeCloseTo(counts.reduce((s, n, seed) => s + n * (0.75 - 0.05 - 0.001 * seed), 0) / 513, 12);
    expect(baseline.reliability![0]).toEqual({ lower: 0, upper: 0.1, count: 0, confidence: null, accuracy: null });
  });

  it('writes report.md, results.csv, results.json and report.html', () => {
    const md = readFileSync(join(reference, 'report.md'), 'utf8');
    expect(md).toContain('## Mean ± standard deviation over seeds');
    expect(md).toContain('## Difference from baseline (paired by seed)');
    expect(md).toContain('| machine | Fake CPU × 4 cores (fake-x64) |');
    expect(md).toContain('| combination | regularizers | mean training CPU seconds | mean training wall seconds |');
    const csv = readFileSync(join(reference, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('combination,group,metric,direction,n,mean,std,ci95_low,ci95_high,diff_vs_baseline,diff_std,diff_ci95_low,diff_ci95_high,t,df,p_value,best');
    expect(csv).toHaveLength(1 + 3 * referenceResults.metrics.length);
    const lsTop1 = csv.find((line) => line.startsWith('ls,,top1,'))!.split(',');
    expect(Number(lsTop1[5])).toBe(referenceResults.combinations[1]!.metrics.top1!.mean);
    expect(existsSync(join(reference, 'report.html'))).toBe(true);
  });

  it('skips every finished run when run again, and ends with the same results', async () => {
    const trainCommand = spyCommand();
    const outcome = await runBench(config, { out: reference, workers: 2, trainCommand });
    expect(trainCommand.mock.calls).toHaveLength(0);
    expect(outcome).toMatchObject({ done: 9, failed: 0 });
    expect(readResults(reference)).toEqual(referenceResults);
  });

  it('recovers results written by trainings whose bench died before recording them', async () => {
    const out = tempDir();
    await runBench(config, { out, workers: 2, trainCommand: fakeTrainCommand });
    rmSync(join(out, DATABASE_FILE));
    const trainCommand = spyCommand();
    const events: BenchProgress[] = [];
    await runBench(config, { out, workers: 2, trainCommand, onProgress: (p) => events.push(p) });
    expect(trainCommand.mock.calls).toHaveLength(0);
    expect(events.filter((e) => e.event.kind === 'recovered')).toHaveLength(9);
    expect(withoutTimings(readResults(out))).toEqual(withoutTimings(referenceResults));
  });

  it('records a crash as failed, then resumes the run from its checkpoint to the same results', async () => {
    const out = tempDir();
    const crashing = fakeBenchConfig({
      combinations: [
        { name: 'baseline', regularizers: [] },
        { name: 'ls', regularizers: [{ type: 'label-smoothing', epsilon: 0.1 }], overrides: { fake: { crashOnceAtEpoch: 2 } } },
        { name: 'ls+sd', regularizers: [{ type: 'label-smoothing' }, { type: 'sd-dropout' }] },
      ],
    });
    const first = await runBench(crashing, { out, workers: 2, trainCommand: fakeTrainCommand });
    expect(first).toMatchObject({ done: 6, failed: 3 });
    const failed = readDatabase(out, (db) => db.runs()).filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.combination)).toEqual(['ls', 'ls', 'ls']);
    expect(failed[0]!.error).toContain('training exited with code 3');
    expect(failed[0]!.error).toContain('fake training crashed after epoch 2');
    expect(hasCheckpoint(join(out, failed[0]!.runDir))).toBe(true);
    expect(readResults(out).combinations.find((c) => c.name === 'ls')).toMatchObject({ seeds: [], failed: 3 });

    const trainCommand = spyCommand();
    const second = await runBench(crashing, { out, workers: 2, trainCommand });
    expect(second).toMatchObject({ done: 9, failed: 0 });
    expect(trainCommand.mock.calls.map((call) => call[2])).toEqual([true, true, true]);
    for (const run of failed) expect(readFileSync(join(out, run.runDir, 'resumed.log'), 'utf8')).toBe('1\n');
    expect(readDatabase(out, (db) => db.runs()).filter((r) => r.combination === 'ls').map((r) => r.attempts)).toEqual([2, 2, 2]);
    // The fake's config differs only in its crash knob, which the metrics do not depend on.
    const results = withoutTimings(readResults(out)) as { runs: { configHash: string }[] };
    const expected = withoutTimings(referenceResults) as { runs: { configHash: string }[] };
    expect(results.runs.map(({ configHash: _h, ...r }) => r)).toEqual(expected.runs.map(({ configHash: _h, ...r }) => r));
    expect({ ...results, runs: [] }).toEqual({ ...expected, runs: [] });
  });

  it('keeps going when a training fails for good, and reports why', async () => {
    const out = tempDir();
    const failing = fakeBenchConfig({
      combinations: [
        { name: 'baseline', regularizers: [] },
        { name: 'broken', regularizers: [{ type: 'x' }], overrides: { fake: { failAlways: 'out of memory' } } },
      ],
      seeds: [0],
    });
    const outcome = await runBench(failing, { out, workers: 1, trainCommand: fakeTrainCommand });
    expect(outcome).toMatchObject({ total: 2, done: 1, failed: 1 });
    const results = readResults(out);
    expect(results.runs.find((r) => r.combination === 'broken')).toMatchObject({ status: 'failed', error: expect.stringContaining('fake training failed: out of memory') });
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('fake training failed: out of memory');
    await runBench(failing, { out, workers: 1, trainCommand: fakeTrainCommand });
    expect(readDatabase(out, (db) => db.run('broken', 0))).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('names a training command that cannot be started', async () => {
    const out = tempDir();
    const outcome = await runBench(fakeBenchConfig({ seeds: [0], combinations: [{ name: 'baseline', regularizers: [] }] }), {
      out,
      workers: 1,
      trainCommand: () => ({ command: join(out, 'no-such-command'), args: [] }),
    });
    expect(outcome.failed).toBe(1);
    expect(readDatabase(out, (db) => db.run('baseline', 0))!.error).toMatch(/could not start the training: spawn .*no-such-command ENOENT/);
  });

  it('validates every run config before starting anything, grouping seeds with the same problem', async () => {
    const out = join(tempDir(), 'never-created');
    const trainCommand = spyCommand();
    const validateRun = (raw: Record<string, unknown>): void => {
      const regularizers = raw.regularizers as { type: string }[];
      if (regularizers.some((r) => r.type === 'sd-dropout')) throw new Error('invalid config:\n  - regularizers[1].type: unknown regularizer type');
      if (raw.seed === 2) throw new Error('seed 2 is cursed');
    };
    const run = runBench(config, { out, trainCommand, validateRun });
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(
      [
        'invalid run config, nothing was started:',
        '  baseline (seed 2): seed 2 is cursed',
        '  ls (seed 2): seed 2 is cursed',
        '  ls+sd (seeds 0, 1, 2): invalid config:',
        '      - regularizers[1].type: unknown regularizer type',
      ].join('\n'),
    );
    expect(trainCommand.mock.calls).toHaveLength(0);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a changed config for runs already recorded, keeping their results', async () => {
    const changed = fakeBenchConfig({ base: { data: { name: 'fake' }, model: { name: 'fake' }, train: { epochs: 4 }, fake: { epochMs: 20 } } });
    await expect(runBench(changed, { out: reference, trainCommand: fakeTrainCommand })).rejects.toThrow(
      /the training configs of 9 run\(s\) in .* differ from this bench config: baseline\/seed-0 \(was [0-9a-f]{16}, now [0-9a-f]{16}\).*Finished results are never overwritten/,
    );
    expect(readDatabase(reference, (db) => db.runs().every((r) => r.status === 'done'))).toBe(true);
  });

  it('stops its trainings when aborted; the next bench resumes them', async () => {
    const out = tempDir();
    const slow = fakeBenchConfig({ base: { data: { name: 'fake' }, model: { name: 'fake' }, train: { epochs: 3 }, fake: { epochMs: 300 } }, seeds: [0] });
    const controller = new AbortController();
    const events: BenchProgress[] = [];
    const first = await runBench(slow, {
      out,
      workers: 2,
      trainCommand: fakeTrainCommand,
      signal: controller.signal,
      onProgress: (p) => {
        events.push(p);
        if (p.running === 2) setTimeout(() => controller.abort(), 400);
      },
    });
    expect(first).toMatchObject({ interrupted: true, failed: 0 });
    const rows = readDatabase(out, (db) => db.runs());
    const stopped = events.filter((e) => e.event.kind === 'stopped').map((e) => e.event.run);
    expect(stopped.length).toBeGreaterThan(0);
    // Stopped and never-started runs wait for the next bench; none is marked failed.
    expect(rows.filter((r) => r.status === 'pending').length).toBe(3 - rows.filter((r) => r.status === 'done').length);
    expect(rows.some((r) => r.status === 'failed' || r.status === 'running')).toBe(false);

    const second = await runBench(slow, { out, workers: 2, trainCommand: fakeTrainCommand });
    expect(second).toMatchObject({ done: 3, failed: 0, interrupted: false });
  });
});
