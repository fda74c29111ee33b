import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { numericLeaves } from '../src/flatten.js';
import { eventFilesIn, readEventFile } from '../src/tensorboard/event-file-reader.js';
import { createTensorBoardReporter } from '../src/tensorboard/tensorboard-reporter.js';
import { createTrackingReporter } from '../src/tracking-reporter.js';
import { EPOCHS, evaluationReport, simulateRun, STEPS, stepLosses } from './support/simulated-run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'selfkd-tb-'));
const config = { seed: 1, train: { epochs: 2, optimizer: { name: 'sgd', lr: 0.1 } } };

function readRun(dir: string) {
  const files = eventFilesIn(dir);
  expect(files).toHaveLength(1);
  const { events, stopped } = readEventFile(files[0]!);
  expect(stopped).toBeUndefined();
  return events.flatMap((e) => e.values.map((v) => ({ step: e.step, ...v })));
}

/** PNG dimensions from IHDR, and the inflated scanlines (one filter byte + 3 bytes a pixel per row). */
function pngFacts(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(Buffer.from(png.subarray(1, 4)).toString()).toBe('PNG');
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const idatLength = view.getUint32(33);
  expect(Buffer.from(png.subarray(37, 41)).toString()).toBe('IDAT');
  const rows = inflateSync(png.subarray(41, 41 + idatLength));
  return { width, height, rowBytes: rows.length };
}

describe('TensorBoard reporter', () => {
  it('writes every epoch number and every step loss of a run, read back with its step and value', () => {
    const dir = tmp();
    const records = simulateRun(createTensorBoardReporter({ dir }, { runName: 'r', config }));
    const values = readRun(dir);
    const scalars = values.filter((v) => v.kind === 'scalar') as { step: number; tag: string; value: number }[];
    const at = (tag: string, step: number) => scalars.filter((s) => s.tag === tag && s.step === step).map((s) => s.value);

    for (const record of records) {
      const { epoch, ...numbers } = record;
      const leaves = numericLeaves(numbers);
      expect(leaves.map(([tag]) => tag)).toEqual(['lr', 'train/total', 'train/task', 'train/label-smoothing', 'test/top1', 'test/nll', 'seconds']);
      for (const [tag, value] of leaves) expect(at(tag, epoch)).toEqual([Math.fround(value)]);
    }
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      for (let step = 1; step <= STEPS; step++) {
        const global = epoch * STEPS + step;
        // Each step's own loss, recovered from the running means the trainer reports.
        for (const [term, loss] of Object.entries(stepLosses(epoch, step))) expect(at(`step/loss/${term}`, global)[0]).toBeCloseTo(loss, 6);
        expect(at('step/samples_per_second', global)).toEqual([100 + step]);
        expect(at('step/seconds', global)[0]).toBeGreaterThanOrEqual(0);
      }
    }
    expect(at('eval/classification/top1', EPOCHS)).toEqual([Math.fround(0.7)]);
    expect(at('eval/calibration/ece', EPOCHS)).toEqual([Math.fround(0.05)]);
    expect(scalars.some((s) => s.tag.includes('reliability'))).toBe(false);
  });

  it('records the config and the set-up as text, the reliability diagram and learning curves as PNG images, the confidences as a histogram', () => {
    const dir = tmp();
    simulateRun(createTensorBoardReporter({ dir }, { runName: 'run-7', config }));
    const values = readRun(dir);
    const text = (tag: string) => values.find((v) => v.tag === tag && v.kind === 'text') as { text: string };
    expect(JSON.parse(text('config').text)).toEqual(config);
    expect(JSON.parse(text('run').text)).toMatchObject({ run: 'run-7', backend: 'cpu', seed: 1, stepsPerEpoch: STEPS });

    const images = values.filter((v) => v.kind === 'image') as { tag: string; step: number; width: number; height: number; png: Uint8Array }[];
    expect(images.map((i) => i.tag).sort()).toEqual(['curves/loss', 'curves/top1', 'eval/reliability_diagram']);
    for (const image of images) {
      const facts = pngFacts(image.png);
      expect([facts.width, facts.height]).toEqual([image.width, image.height]);
      expect(facts.rowBytes).toBe(image.height * (1 + 3 * image.width));
    }

    const histogram = values.find((v) => v.kind === 'histogram') as { tag: string; histogram: { num: number; bucketLimits: number[]; bucketCounts: number[]; sum: number } };
    expect(histogram.tag).toBe('eval/confidence');
    expect(histogram.histogram).toMatchObject({ num: 10, bucketLimits: [0.5, 1], bucketCounts: [4, 6] });
    expect(histogram.histogram.sum).toBeCloseTo(4 * 0.4 + 6 * 0.8, 12);
    expect(evaluationReport.calibration.reliability).toHaveLength(2);
  });
});

describe('tracking reporters never break training', () => {
  it('a TensorBoard folder that cannot be created is reported once; the hooks go on returning normally', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'taken'), 'a file where the run folder should be');
    const warnings: string[] = [];
    const reporter = createTrackingReporter({ tensorboard: join(dir, 'taken', 'tb'), mlflow: join(dir, 'mlruns') }, { runName: 'r', warn: (m) => warnings.push(m) });
    expect(() => simulateRun(reporter!)).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^tensorboard: .*ENOTDIR.*tensorboard logging is off for the rest of this run/);
    // The other tracker is unaffected: its run finished.
    const metas = readdirSync(join(dir, 'mlruns'), { recursive: true }).filter((p) => /^\d+\/[0-9a-f]{32}\/meta\.yaml$/.test(String(p)));
    expect(metas.map((p) => readFileSync(join(dir, 'mlruns', String(p)), 'utf8'))).toEqual([expect.stringMatching(/^status: 3$/m)]);
  });

  it('asks for nothing when the logging section names no tracker', () => {
    expect(createTrackingReporter({}, { runName: 'r' })).toBeUndefined();
  });
});
