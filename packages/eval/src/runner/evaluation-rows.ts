import { Rng } from '@selfkd/core';

/**
 * Row indices of the images an evaluation uses: all of them in order, or — with a cap below the
 * set's size — a seeded random subset (in ascending order), because test splits are often sorted
 * by class and their first rows would not be representative. Smaller caps with the same seed give
 * prefixes of the same permutation, so their subsets nest.
 */
export function evaluationRows(size: number, maxImages: number | null, seed: number, label: string): Int32Array {
  if (maxImages === null || maxImages >= size) return Int32Array.from({ length: size }, (_, i) => i);
  const permutation = Rng.derive(seed, 'eval-subset', label).shuffle(Int32Array.from({ length: size }, (_, i) => i));
  return permutation.slice(0, maxImages).sort();
}
