/**
 * The docs/methods.md formulas in plain float64 JavaScript, written from the definitions and sharing no
 * code with the packages: the independent side of the hand-computed and finite-difference checks.
 * Matrices are arrays of rows.
 */
export type Matrix = number[][];

export function logSoftmaxRow(row: readonly number[], temperature = 1): number[] {
  const scaled = row.map((v) => v / temperature);
  const max = Math.max(...scaled);
  const logSum = max + Math.log(scaled.reduce((s, v) => s + Math.exp(v - max), 0));
  return scaled.map((v) => v - logSum);
}

export function softmaxRows(rows: Matrix, temperature = 1): Matrix {
  return rows.map((row) => logSoftmaxRow(row, temperature).map(Math.exp));
}

/** `(1/B) Σ_b Σ_k σ(t/T)_bk (log σ(t/T)_bk − log σ(s/T)_bk)`: KL(teacher ‖ student), batchmean. */
export function klBatchmean(student: Matrix, teacher: Matrix, temperature: number): number {
  let total = 0;
  student.forEach((row, b) => {
    const logQ = logSoftmaxRow(row, temperature);
    const logP = logSoftmaxRow(teacher[b]!, temperature);
    logP.forEach((lp, k) => (total += Math.exp(lp) * (lp - logQ[k]!)));
  });
  return total / student.length;
}

/** `mean_b Σ_k −target_bk · log σ(z)_bk`. */
export function softTargetCrossEntropy(logits: Matrix, target: Matrix): number {
  let total = 0;
  logits.forEach((row, b) => logSoftmaxRow(row).forEach((lq, k) => (total -= target[b]![k]! * lq)));
  return total / logits.length;
}

/** `x @ w + bias` (a dense layer; `w` is [in, out]). */
export function dense(x: Matrix, w: Matrix, bias: readonly number[]): Matrix {
  return x.map((row) => bias.map((bk, k) => row.reduce((s, v, c) => s + v * w[c]![k]!, bk)));
}

export function oneHotRows(labels: readonly number[], numClasses: number): Matrix {
  return labels.map((y) => Array.from({ length: numClasses }, (_, k) => (k === y ? 1 : 0)));
}

/** Splits a flat vector into matrices of the given shapes (the inverse of flattening them in order). */
export function unflatten(values: ArrayLike<number>, shapes: readonly (readonly [number, number])[]): Matrix[] {
  let at = 0;
  return shapes.map(([rows, cols]) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => values[at++]!)),
  );
}

/** Matrices of float32-representable values, so that the float32 and float64 sides start from the same numbers. */
export function randomMatrix(rows: number, cols: number, next: () => number, scale = 1): Matrix {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround((2 * next() - 1) * scale)));
}
