import { dense, klBatchmean, type Matrix } from '../../../test/support/float64-reference.js';
import type { KlDirection } from '../src/index.js';

/** The parameters SD-Dropout differentiates: penultimate features and the head's kernel and bias. */
export interface HeadParams {
  features: Matrix;
  weight: Matrix;
  bias: number[];
}

/**
 * SD-Dropout in float64 from docs/methods.md. The target side of each KL is computed from `teacher`,
 * the student side from `student`: pass the same parameters twice for the loss, and differentiate
 * in `student` only (teacher frozen) to get what `detach` must produce.
 */
export function sdDropoutReference(
  student: HeadParams,
  teacher: HeadParams,
  masks: readonly Matrix[],
  temperature: number,
  direction: KlDirection,
): number {
  const logitsOf = (p: HeadParams) => masks.map((m) => dense(p.features.map((row, b) => row.map((v, c) => v * m[b]![c]!)), p.weight, p.bias));
  const zs = logitsOf(student);
  const zt = logitsOf(teacher);
  let sum = 0;
  for (let i = 0; i < masks.length; i++) {
    for (let j = i + 1; j < masks.length; j++) {
      if (direction !== 'reverse') sum += klBatchmean(zs[i]!, zt[j]!, temperature);
      if (direction !== 'forward') sum += klBatchmean(zs[j]!, zt[i]!, temperature);
    }
  }
  return (temperature * temperature * sum) / ((masks.length * (masks.length - 1)) / 2);
}
