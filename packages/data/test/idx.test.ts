import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetError, loadDataset } from '@selfkd/data';
import { parseIdx } from '../src/formats/idx.js';
import { idxBytes, useTempDirs, writeIdxDataset } from './helpers.js';

const TRAIN = { labels: [3, 1, 4, 1, 5, 9] };
const TEST = { labels: [2, 6, 5] };

describe('parseIdx', () => {
  it('reads the dimensions big-endian and the bytes after the header', () => {
    const bytes = Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    const array = parseIdx(bytes);
    expect(array.dims).toEqual([2, 3]);
    expect([...array.data]).toEqual([1, 2, 3, 4, 5, 6]);
    // A dimension above 255 needs all four bytes.
    expect(parseIdx(idxBytes([300], new Uint8Array(300))).dims).toEqual([300]);
  });

  it('rejects bad magic numbers, other element types, truncated and oversized files', () => {
    expect(() => parseIdx(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).toThrow(/bad magic number 0x89504e47: not an IDX file/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]))).toThrow(/element type 0xd, expected 0x08/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8]))).toThrow(/too short/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2]))).toThrow(/truncated header: 3 dimensions need 16 bytes/);
    const good = idxBytes([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(() => parseIdx(good.subarray(0, good.length - 1))).toThrow(/truncated: the header says 2×3 = 6 bytes of data, the file has 5/);
    expect(() => parseIdx(Uint8Array.from([...good, 7]))).toThrow(/wrong size: the header says 2×3 = 6 bytes of data, the file has 7/);
  });
});

describe('IDX datasets (fashion-mnist, mnist)', () => {
  const temp = useTempDirs();

  for (const gzip of [false, true]) {
    it(`loads ${gzip ? 'gzipped' : 'raw'} files from data.dataDir`, async () => {
      const dir = join(temp.root(), 'files');
      writeIdxDataset(dir, TRAIN, TEST, gzip);
      const dataset = await loadDataset({ name: 'fashion-mnist', dataDir: dir });
      expect(dataset.imageShape).toEqual([28, 28, 1]);
      expect(dataset.numClasses).toBe(10);
      expect(dataset.classNames[9]).toBe('Ankle boot');
      expect([...dataset.train.labels]).toEqual(TRAIN.labels);
      expect([...dataset.test.labels]).toEqual(TEST.labels);
      expect(dataset.train.size).toBe(6);
      expect(dataset.train.images.length).toBe(6 * 784);
      // The helper fills train image n with n·7, test image n with n·7 + 100.
      expect(dataset.train.images[5 * 784 + 400]).toBe(35);
      expect(dataset.test.images[2 * 784]).toBe(114);
      expect(dataset.source).toBe(`${dir} (data.dataDir)`);
    });
  }

  it('searches data.dataDir, then the loader dataDir, then $SELFKD_DATA/<name>, each dir or its <name>/ sub-folder', async () => {
    const configDir = join(temp.root(), 'config');
    const loaderDir = join(temp.root(), 'loader');
    const envRoot = join(temp.root(), 'env');
    writeIdxDataset(join(configDir, 'mnist'), { labels: [1] }, TEST, true);
    writeIdxDataset(loaderDir, { labels: [1, 2] }, TEST, false);
    writeIdxDataset(join(envRoot, 'mnist'), { labels: [1, 2, 3] }, TEST, true);
    process.env.SELFKD_DATA = envRoot;

    const sizes = async (config: Record<string, unknown>, dataDir?: string) => {
      const d = await loadDataset({ name: 'mnist', ...config }, { dataDir });
      return [d.train.size, d.source];
    };
    expect(await sizes({ dataDir: configDir }, loaderDir)).toEqual([1, `${join(configDir, 'mnist')} (data.dataDir)`]);
    expect(await sizes({}, loaderDir)).toEqual([2, `${loaderDir} (--data-dir)`]);
    expect(await sizes({})).toEqual([3, `${join(envRoot, 'mnist')} ($SELFKD_DATA)`]);
    // A folder without any of the files is skipped; a folder that does not exist is a mistake to report.
    mkdirSync(join(temp.root(), 'empty'));
    expect(await sizes({ dataDir: join(temp.root(), 'empty') })).toEqual([3, `${join(envRoot, 'mnist')} ($SELFKD_DATA)`]);
    await expect(sizes({}, join(temp.root(), 'missing'))).rejects.toThrow(`--data-dir ${join(temp.root(), 'missing')} does not exist`);
    await expect(sizes({ dataDir: join(temp.root(), 'missing') })).rejects.toThrow(`data.dataDir ${join(temp.root(), 'missing')} does not exist`);
  });

  describe('bad files give a DatasetError naming the file and the fix', () => {
    const dir = () => join(temp.root(), 'bad');
    const load = () => loadDataset({ name: 'fashion-mnist', dataDir: dir() });
    const corrupt = (name: string, bytes: Uint8Array) => writeFileSync(join(dir(), name), bytes);

    it('truncated gzip', async () => {
      writeIdxDataset(dir(), TRAIN, TEST, true);
      const path = join(dir(), 'train-images-idx3-ubyte.gz');
      corrupt('train-images-idx3-ubyte.gz', readFileSync(path).subarray(0, 40));
      const error = await load().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as Error).message).toMatch(new RegExp(`^fashion-mnist: ${path}: bad gzip data \\(unexpected end of file\\)`));
      expect((error as Error).message).toMatch(/Fix: replace it with a good copy .*or point --data-dir \(data\.dataDir\) elsewhere/);
    });

    it('truncated raw file', async () => {
      writeIdxDataset(dir(), TRAIN, TEST, false);
      const path = join(dir(), 't10k-images-idx3-ubyte');
      corrupt('t10k-images-idx3-ubyte', readFileSync(path).subarray(0, 1000));
      await expect(load()).rejects.toThrow(`${path}: truncated: the header says 3×28×28 = 2352 bytes of data, the file has 984`);
    });

    it('bad magic number inside a valid gzip', async () => {
      writeIdxDataset(dir(), TRAIN, TEST, true);
      corrupt('train-labels-idx1-ubyte.gz', gzipSync(Buffer.from('<html>not found</html>')));
      await expect(load()).rejects.toThrow(/train-labels-idx1-ubyte\.gz: bad magic number 0x3c68746d: not an IDX file/);
    });

    it('images and labels that disagree, labels out of range, wrong image size, wrong rank', async () => {
      writeIdxDataset(dir(), TRAIN, TEST, false);
      corrupt('train-labels-idx1-ubyte', idxBytes([5], [0, 1, 2, 3, 4]));
      await expect(load()).rejects.toThrow(/train-images-idx3-ubyte holds 6 images but .*train-labels-idx1-ubyte holds 5 labels/);
      corrupt('train-labels-idx1-ubyte', idxBytes([6], [0, 1, 2, 10, 4, 5]));
      await expect(load()).rejects.toThrow(/train-labels-idx1-ubyte: label 10 at row 3, expected 0\.\.9/);
      corrupt('train-labels-idx1-ubyte', idxBytes([6, 1], [0, 1, 2, 3, 4, 5]));
      await expect(load()).rejects.toThrow(/train-labels-idx1-ubyte: 2 dimensions, expected 1/);
      corrupt('train-labels-idx1-ubyte', idxBytes([6], TRAIN.labels));
      corrupt('train-images-idx3-ubyte', idxBytes([6, 14, 14], new Uint8Array(6 * 196)));
      await expect(load()).rejects.toThrow(/train-images-idx3-ubyte: images are 14×14, expected 28×28/);
    });

    it('a folder holding only some of the files', async () => {
      writeIdxDataset(dir(), TRAIN, TEST, true);
      rmSync(join(dir(), 't10k-labels-idx1-ubyte.gz'));
      rmSync(join(dir(), 't10k-images-idx3-ubyte.gz'));
      await expect(load()).rejects.toThrow(
        `fashion-mnist: ${dir()} (data.dataDir) holds only part of the dataset; missing t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz, ` +
          't10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz. Fix: apt-get install dataset-fashion-mnist, or point --data-dir',
      );
    });
  });

  it('with no local copy and no network, says where it looked, why the download failed and what to do', async () => {
    const empty = join(temp.root(), 'empty');
    mkdirSync(empty);
    const error = (await loadDataset(
      { name: 'mnist', dataDir: empty },
      { fetch: (url) => Promise.reject(new Error(`offline (${url})`)) },
    ).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(DatasetError);
    const cache = join(temp.root(), 'cache', 'selfkd', 'mnist');
    expect(error.message).toContain(`mnist: no local copy found and the download into ${cache} failed.`);
    expect(error.message).toContain(`${join(empty, 'mnist')} (data.dataDir)`);
    expect(error.message).toContain('https://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz: offline');
    expect(error.message).toContain('https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz: offline');
    expect(error.message).toContain('or point --data-dir (data.dataDir) at a folder holding train-images-idx3-ubyte(.gz)');
  });
});
