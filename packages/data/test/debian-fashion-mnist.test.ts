import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runChecked } from '../../../test/support/run-process.js';
import { loadDataset } from '@selfkd/data';
import { DEBIAN_FASHION_MNIST_DIR } from '../src/datasets/fashion-mnist.js';

const present = existsSync(`${DEBIAN_FASHION_MNIST_DIR}/train-images-idx3-ubyte.gz`);
const SKIP = `${DEBIAN_FASHION_MNIST_DIR} is absent (apt-get install dataset-fashion-mnist to run this test)`;

/** Python's gzip + struct read the same files: label counts, and the byte sums of a few images. */
const PYTHON_REFERENCE = `
import gzip, json, struct, sys
d = sys.argv[1]
with gzip.open(d + '/train-labels-idx1-ubyte.gz') as f:
    magic, n = struct.unpack('>II', f.read(8)); labels = f.read()
with gzip.open(d + '/train-images-idx3-ubyte.gz') as f:
    magic, n, rows, cols = struct.unpack('>IIII', f.read(16)); images = f.read()
rows_to_check = [0, 1, 12345, n - 1]
print(json.dumps({'n': n, 'first_labels': list(labels[:20]),
                  'sums': [sum(images[i * 784:(i + 1) * 784]) for i in rows_to_check]}))
`;

describe('Fashion-MNIST from the Debian package', () => {
  it('loads the full dataset, balanced, matching an independent Python reader and its normalisation', async (context) => {
    context.skip(!present, SKIP);
    const dataset = await loadDataset({ name: 'fashion-mnist' });
    expect(dataset.source).toBe(`${DEBIAN_FASHION_MNIST_DIR} (Debian package dataset-fashion-mnist)`);
    expect(dataset.train.size).toBe(60000);
    expect(dataset.test.size).toBe(10000);
    const count = (labels: Int32Array) => labels.reduce((c, l) => (c[l]++, c), new Array<number>(10).fill(0));
    expect(count(dataset.train.labels)).toEqual(new Array(10).fill(6000));
    expect(count(dataset.test.labels)).toEqual(new Array(10).fill(1000));

    const python = JSON.parse(await runChecked('/usr/bin/python3', ['-c', PYTHON_REFERENCE, DEBIAN_FASHION_MNIST_DIR])) as {
      n: number;
      first_labels: number[];
      sums: number[];
    };
    expect(python.n).toBe(60000);
    expect([...dataset.train.labels.subarray(0, 20)]).toEqual(python.first_labels);
    const sum = (row: number) => dataset.train.images.subarray(row * 784, (row + 1) * 784).reduce((a, b) => a + b, 0);
    expect([0, 1, 12345, 59999].map(sum)).toEqual(python.sums);

    let total = 0;
    let squares = 0;
    for (const v of dataset.train.images) {
      total += v / 255;
      squares += (v / 255) ** 2;
    }
    const mean = total / dataset.train.images.length;
    const std = Math.sqrt(squares / dataset.train.images.length - mean * mean);
    expect(Math.abs(dataset.normalization.mean[0]! - mean)).toBeLessThan(5e-4);
    expect(Math.abs(dataset.normalization.std[0]! - std)).toBeLessThan(5e-4);
  });
});
