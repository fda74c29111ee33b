import type { Rng } from '@selfkd/core';
import type { ImageSplit } from './types.js';

/**
 * Splits `total` over classes in proportion to `counts` by largest remainder (Hamilton's method):
 * every class gets floor or ceil of its exact share, ties going to the lower class index.
 */
export function apportion(counts: readonly number[], total: number): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  if (!Number.isInteger(total) || total < 0 || total > n) {
    throw new RangeError(`cannot take ${total} of ${n} samples`);
  }
  if (n === 0) return counts.map(() => 0);
  // Integer arithmetic: total·count ≤ 2^53 for any dataset that fits in memory.
  const quotas = counts.map((c) => Math.floor((total * c) / n));
  const remainders = counts.map((c, k) => ({ k, r: (total * c) % n }));
  remainders.sort((a, b) => b.r - a.r || a.k - b.k);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  for (const { k } of remainders) {
    if (left === 0) break;
    quotas[k]! += 1;
    left -= 1;
  }
  return quotas;
}

/**
 * A stratified random sample of `size` row indices (ascending): each class contributes its
 * apportioned share, drawn uniformly without replacement from that class's rows.
 */
export function stratifiedSample(labels: Int32Array, numClasses: number, size: number, rng: Rng): Int32Array {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((label, row) => byClass[label]!.push(row));
  const quotas = apportion(
    byClass.map((rows) => rows.length),
    size,
  );
  const chosen = byClass.flatMap((rows, k) => rng.shuffle(rows).slice(0, quotas[k]));
  return Int32Array.from(chosen).sort();
}

/** The rows 0..total−1 that are not in `rows` (ascending). */
export function complementRows(total: number, rows: Int32Array): Int32Array {
  const taken = new Uint8Array(total);
  rows.forEach((row) => (taken[row] = 1));
  return Int32Array.from({ length: total }, (_, row) => row).filter((row) => !taken[row]);
}

/** The rows of `split` at `rows`, in that order. */
export function selectRows(split: ImageSplit, rows: Int32Array, pixelsPerImage: number): ImageSplit {
  const images = new Uint8Array(rows.length * pixelsPerImage);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    images.set(split.images.subarray(row * pixelsPerImage, (row + 1) * pixelsPerImage), i * pixelsPerImage);
    labels[i] = split.labels[row]!;
  });
  return { images, labels, size: rows.length };
}
