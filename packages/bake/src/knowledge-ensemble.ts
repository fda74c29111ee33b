import * as tf from '@tensorflow/tfjs-core';

/**
 * BAKE's soft targets (Ge et al. 2021, `knowledge_ensemble` in yxgeee/BAKE): with `f̂` the
 * L2-normalised features and `p = softmax(z / T)`, the affinity `A = rowsoftmax(f̂ f̂ᵀ)` with the
 * diagonal excluded, and the targets the propagated ensemble `(1 − ω)(I − ωA)⁻¹ p`.
 *
 * The inputs are read back and the system is solved in float64 on the CPU (tfjs has no matrix
 * inverse), so the result is a constant: the reference computes it under `torch.no_grad()` too.
 */
export function knowledgeEnsemble(features: tf.Tensor2D, logits: tf.Tensor2D, temperature: number, omega: number): tf.Tensor2D {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  if (!(omega >= 0 && omega < 1)) throw new RangeError(`omega must be in [0, 1), got ${omega}`);
  const [rows, dim] = features.shape;
  const classes = logits.shape[1];
  if (logits.shape[0] !== rows) throw new RangeError(`knowledgeEnsemble: ${rows} feature rows but ${logits.shape[0]} logit rows`);
  const affinity = affinityRows(Float64Array.from(features.dataSync()), rows, dim);
  const probabilities = softmaxRows(Float64Array.from(logits.dataSync()), rows, classes, temperature);
  // (I − ωA)·targets = (1 − ω)·p
  const system = affinity.map((v, i) => (Math.floor(i / rows) === i % rows ? 1 : 0) - omega * v);
  const targets = solve(system, probabilities.map((v) => (1 - omega) * v), rows, classes);
  return tf.tensor2d(Float32Array.from(targets), [rows, classes]);
}

/** Row-softmax of the cosine similarities with each row's own entry left out (the reference's −1e9). */
function affinityRows(features: Float64Array, rows: number, dim: number): Float64Array {
  const normed = new Float64Array(features.length);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let c = 0; c < dim; c++) norm += features[r * dim + c]! ** 2;
    // F.normalize divides by max(‖f‖, 1e-12).
    const scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let c = 0; c < dim; c++) normed[r * dim + c] = features[r * dim + c]! * scale;
  }
  const similarity = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < rows; j++) {
      if (i === j) continue;
      let dot = 0;
      for (let c = 0; c < dim; c++) dot += normed[i * dim + c]! * normed[j * dim + c]!;
      similarity[i * rows + j] = dot;
    }
  }
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let j = 0; j < rows; j++) if (j !== i) max = Math.max(max, similarity[i * rows + j]!);
    let sum = 0;
    for (let j = 0; j < rows; j++) {
      const e = j === i ? 0 : Math.exp(similarity[i * rows + j]! - max);
      similarity[i * rows + j] = e;
      sum += e;
    }
    // A single row has no neighbour: its affinity row stays 0, so its target is (1 − ω)·p.
    if (sum > 0) for (let j = 0; j < rows; j++) similarity[i * rows + j]! /= sum;
  }
  return similarity;
}

function softmaxRows(logits: Float64Array, rows: number, classes: number, temperature: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const max = Math.max(...row) / temperature;
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += out[r * classes + k] = Math.exp(row[k]! / temperature - max);
    for (let k = 0; k < classes; k++) out[r * classes + k]! /= sum;
  }
  return out;
}

/** `M X = B` for square `M` (n×n) and `B` (n×m) by Gaussian elimination with partial pivoting. */
function solve(matrix: Float64Array, rhs: Float64Array, n: number, m: number): Float64Array {
  const a = Float64Array.from(matrix);
  const b = Float64Array.from(rhs);
  const swapRows = (t: Float64Array, width: number, i: number, j: number) => {
    for (let c = 0; c < width; c++) [t[i * width + c], t[j * width + c]] = [t[j * width + c]!, t[i * width + c]!];
  };
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = r;
    swapRows(a, n, col, pivot);
    swapRows(b, m, col, pivot);
    const p = a[col * n + col]!;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = a[r * n + col]! / p;
      if (factor === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c]! -= factor * a[col * n + c]!;
      for (let c = 0; c < m; c++) b[r * m + c]! -= factor * b[col * m + c]!;
    }
  }
  for (let r = 0; r < n; r++) for (let c = 0; c < m; c++) b[r * m + c]! /= a[r * n + r]!;
  return b;
}
