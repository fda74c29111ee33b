import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError, loadDataset } from '@selfkd/data';
import { parseCifarRecords } from '../src/formats/cifar-binary.js';
import { useTempDirs } from './helpers.js';

/** Pixel value of record `n`, channel `c` (0 R, 1 G, 2 B), row `y`, column `x` in the generated files. */
const pixel = (n: number, c: number, y: number, x: number) => (n * 31 + c * 80 + y * 3 + x * 5) % 256;

/** One CIFAR binary record as the format's documentation describes it: label byte(s), then the R, G and B planes, row-major. */
function record(labels: number[], n: number): number[] {
  const bytes = [...labels];
  for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) bytes.push(pixel(n, c, y, x));
  return bytes;
}

const file = (records: number[][]) => Uint8Array.from(records.flat());

describe('parseCifarRecords', () => {
  it('converts CHW planes to HWC and takes the configured label byte', () => {
    const bytes = file([record([7, 42], 0), record([3, 99], 1)]);
    const { images, labels } = parseCifarRecords(bytes, { labelBytes: 2, labelIndex: 1, numClasses: 100 });
    expect([...labels]).toEqual([42, 99]);
    // NHWC offset of (n, y, x, c) = ((n·32 + y)·32 + x)·3 + c.
    for (const [n, y, x, c] of [
      [0, 0, 0, 0],
      [0, 0, 1, 2],
      [1, 5, 9, 1],
      [1, 31, 31, 2],
    ] as const) {
      expect(images[((n * 32 + y) * 32 + x) * 3 + c]).toBe(pixel(n, c, y, x));
    }
    // By hand: record 1, G plane, row 0, column 1 is byte 2 (labels) + 1024 + 1 of that record.
    expect(images[(32 * 32 + 1) * 3 + 1]).toBe(bytes[3074 + 2 + 1024 + 1]);
  });

  it('rejects truncated or empty files and out-of-range labels', () => {
    const layout = { labelBytes: 1, labelIndex: 0, numClasses: 10 };
    expect(() => parseCifarRecords(file([record([1], 0)]).subarray(0, 3000), layout)).toThrow(
      'truncated or not a CIFAR file: 3000 bytes is not a whole, positive number of 3073-byte records',
    );
    expect(() => parseCifarRecords(new Uint8Array(0), layout)).toThrow(/^empty: 0 bytes/);
    expect(() => parseCifarRecords(file([record([1], 0), record([10], 1)]), layout)).toThrow('record 1 has label 10, expected 0..9');
  });
});

describe('cifar10 and cifar100 from their binary files', () => {
  const temp = useTempDirs();

  function writeCifar10(dir: string, skip: string[] = []): void {
    mkdirSync(dir, { recursive: true });
    let n = 0;
    for (const name of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) {
      const records = [record([n % 10], n), record([(n + 1) % 10], n + 1)];
      n += 2;
      if (!skip.includes(name)) writeFileSync(join(dir, name), file(records));
    }
  }

  it('reads cifar10: five training batches in order, then the test batch, as NHWC', async () => {
    writeCifar10(join(temp.root(), 'cifar-10-batches-bin'));
    const dataset = await loadDataset({ name: 'cifar10', dataDir: temp.root() });
    expect(dataset.imageShape).toEqual([32, 32, 3]);
    expect(dataset.numClasses).toBe(10);
    expect(dataset.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    expect(dataset.train.size).toBe(10);
    expect([...dataset.train.labels]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...dataset.test.labels]).toEqual([0, 1]);
    // Train row 7 is record n = 7; test row 1 is record n = 11.
    expect(dataset.train.images[((7 * 32 + 4) * 32 + 6) * 3 + 2]).toBe(pixel(7, 2, 4, 6));
    expect(dataset.test.images[((1 * 32 + 31) * 32 + 0) * 3 + 0]).toBe(pixel(11, 0, 31, 0));
    expect(dataset.augment).toEqual({ cropPadding: 4, flip: true });
    expect(dataset.normalization.mean).toHaveLength(3);
    expect(dataset.source).toBe(`${join(temp.root(), 'cifar-10-batches-bin')} (data.dataDir)`);
  });

  it('reads cifar100 with the fine label as the class', async () => {
    const dir = join(temp.root(), 'cifar-100-binary');
    mkdirSync(dir);
    writeFileSync(join(dir, 'train.bin'), file([record([19, 99], 0), record([0, 4], 1), record([3, 50], 2)]));
    writeFileSync(join(dir, 'test.bin'), file([record([11, 0], 3)]));
    // The folder itself may be given too.
    const dataset = await loadDataset({ name: 'cifar100', dataDir: dir });
    expect(dataset.numClasses).toBe(100);
    expect(dataset.classNames[99]).toBe('worm');
    expect([...dataset.classNames].sort()).toEqual(dataset.classNames);
    expect([...dataset.train.labels]).toEqual([99, 4, 50]);
    expect([...dataset.test.labels]).toEqual([0]);
    expect(dataset.test.images[(5 * 32 + 7) * 3 + 1]).toBe(pixel(3, 1, 5, 7));
  });

  it('names the file and the fix for truncated, incomplete and missing data', async () => {
    const dir = join(temp.root(), 'cifar-10-batches-bin');
    writeCifar10(dir);
    writeFileSync(join(dir, 'data_batch_3.bin'), file([record([1], 0)]).subarray(0, 3072));
    await expect(loadDataset({ name: 'cifar10', dataDir: temp.root() })).rejects.toThrow(
      `cifar10: ${join(dir, 'data_batch_3.bin')}: truncated or not a CIFAR file: 3072 bytes is not a whole, positive number of 3073-byte records. ` +
        'Fix: replace it with a good copy from https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz.',
    );

    const partial = join(temp.root(), 'partial');
    writeCifar10(join(partial, 'cifar-10-batches-bin'), ['test_batch.bin']);
    await expect(loadDataset({ name: 'cifar10', dataDir: partial })).rejects.toThrow(/holds only part of the dataset; missing test_batch\.bin/);

    process.env.SELFKD_DATA = join(temp.root(), 'nothing-here');
    mkdirSync(join(temp.root(), 'nor-here'));
    const error = (await loadDataset({ name: 'cifar100' }, { dataDir: join(temp.root(), 'nor-here') }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.message).toBe(
      'cifar100: cannot find train.bin, test.bin.\nLooked in:\n' +
        `  - ${join(temp.root(), 'nor-here', 'cifar-100-binary')} (--data-dir)\n` +
        `  - ${join(temp.root(), 'nor-here')} (--data-dir)\n` +
        `  - ${join(temp.root(), 'nothing-here', 'cifar-100-binary')} ($SELFKD_DATA)\n` +
        `  - ${join(temp.root(), 'cache', 'selfkd', 'cifar-100-binary')} (cache folder)\n` +
        'Fix: download https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz, extract it, and point --data-dir (data.dataDir) ' +
        'at the folder holding cifar-100-binary/ (or at cifar-100-binary/ itself), or set $SELFKD_DATA to that folder.',
    );
  });
});
