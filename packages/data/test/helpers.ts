import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeEach } from 'vitest';
import type { Dataset } from '@selfkd/data';

export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** An IDX file of unsigned bytes, written the way the format's documentation describes it. */
export function idxBytes(dims: number[], data: ArrayLike<number>): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(data))]);
}

/** A small IDX dataset: image n of a split is filled with the byte (n·7 + offset) mod 256. */
export interface IdxSplitSpec {
  labels: number[];
  side?: number;
}

export function idxSplitFiles(spec: IdxSplitSpec, offset: number): { images: Uint8Array; labels: Uint8Array } {
  const side = spec.side ?? 28;
  const n = spec.labels.length;
  const pixels = new Uint8Array(n * side * side);
  for (let i = 0; i < n; i++) pixels.fill((i * 7 + offset) % 256, i * side * side, (i + 1) * side * side);
  return { images: idxBytes([n, side, side], pixels), labels: idxBytes([n], spec.labels) };
}

/** Writes the four MNIST-family files into `dir`, gzipped or raw. */
export function writeIdxDataset(dir: string, train: IdxSplitSpec, test: IdxSplitSpec, gzip: boolean): void {
  mkdirSync(dir, { recursive: true });
  const trainFiles = idxSplitFiles(train, 0);
  const testFiles = idxSplitFiles(test, 100);
  const files: [string, Uint8Array][] = [
    ['train-images-idx3-ubyte', trainFiles.images],
    ['train-labels-idx1-ubyte', trainFiles.labels],
    ['t10k-images-idx3-ubyte', testFiles.images],
    ['t10k-labels-idx1-ubyte', testFiles.labels],
  ];
  for (const [name, bytes] of files) {
    writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  }
}

/**
 * A fresh temp folder per test, with `$SELFKD_DATA` unset and `$XDG_CACHE_HOME` pointing inside it,
 * so no test sees (or writes to) the user's real data or cache.
 */
export function useTempDirs(): { root: () => string } {
  let root = '';
  const saved = { SELFKD_DATA: process.env.SELFKD_DATA, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'selfkd-data-'));
    delete process.env.SELFKD_DATA;
    process.env.XDG_CACHE_HOME = join(root, 'cache');
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  return { root: () => root };
}

/** A dataset built in memory, for batch and augmentation tests. */
export function memoryDataset(
  imageShape: [number, number, number],
  images: number[],
  labels: number[],
  overrides: Partial<Pick<Dataset, 'normalization' | 'augment'>> = {},
): Dataset {
  const split = { images: Uint8Array.from(images), labels: Int32Array.from(labels), size: labels.length };
  const channels = imageShape[2];
  return {
    name: 'memory',
    imageShape,
    numClasses: Math.max(...labels) + 1,
    classNames: [],
    train: split,
    test: split,
    normalization: overrides.normalization ?? { mean: Array(channels).fill(0), std: Array(channels).fill(1) },
    augment: overrides.augment ?? { cropPadding: 0, flip: false },
    source: 'memory',
  };
}
