/**
 * Class scores of N samples as one row-major array of N·K numbers (logits or probabilities),
 * which is how a batch of logits comes out of `await tensor.data()`.
 */
export type ScoreRows = ArrayLike<number>;

/** Integer class labels, one per row. */
export type Labels = ArrayLike<number>;

/**
 * Checks that `rows` holds whole rows of `numClasses` scores and, when given, that `labels`
 * has one valid class per row. Returns the number of rows.
 */
export function countRows(rows: ScoreRows, numClasses: number, labels?: Labels): number {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`numClasses must be a positive integer, got ${numClasses}`);
  }
  if (rows.length % numClasses !== 0) {
    throw new Error(`scores hold ${rows.length} values, which is not a whole number of rows of numClasses=${numClasses}`);
  }
  const n = rows.length / numClasses;
  if (labels) {
    if (labels.length !== n) throw new Error(`labels has ${labels.length} entries but the scores have ${n} rows`);
    for (let i = 0; i < n; i++) {
      const y = labels[i]!;
      if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
        throw new Error(`labels[${i}] is ${y}; labels must be integers in [0, ${numClasses - 1}]`);
      }
    }
  }
  return n;
}

/** Row-wise softmax of `logits / temperature`, in float64 with the max subtracted for stability. */
export function softmaxRows(logits: ScoreRows, numClasses: number, temperature = 1): Float64Array {
  checkTemperature(temperature);
  const n = countRows(logits, numClasses);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < n; i++) {
    const base = i * numClasses;
    const max = rowMax(logits, base, numClasses);
    let sum = 0;
    for (let k = 0; k < numClasses; k++) {
      const e = Math.exp((logits[base + k]! - max) / temperature);
      out[base + k] = e;
      sum += e;
    }
    for (let k = 0; k < numClasses; k++) out[base + k]! /= sum;
  }
  return out;
}

/** Row-wise `log Σ_k exp(logits_k / temperature)`, computed stably in float64. */
export function logSumExpRows(logits: ScoreRows, numClasses: number, temperature = 1): Float64Array {
  checkTemperature(temperature);
  const n = countRows(logits, numClasses);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * numClasses;
    const max = rowMax(logits, base, numClasses) / temperature;
    let sum = 0;
    for (let k = 0; k < numClasses; k++) sum += Math.exp(logits[base + k]! / temperature - max);
    out[i] = max + Math.log(sum);
  }
  return out;
}

/** Per row, the index of the largest score (the first one on ties) and that score. */
export function argmaxRows(rows: ScoreRows, numClasses: number): { index: Int32Array; value: Float64Array } {
  const n = countRows(rows, numClasses);
  const index = new Int32Array(n);
  const value = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * numClasses;
    let best = 0;
    for (let k = 1; k < numClasses; k++) if (rows[base + k]! > rows[base + best]!) best = k;
    index[i] = best;
    value[i] = rows[base + best]!;
  }
  return { index, value };
}

function rowMax(rows: ScoreRows, base: number, numClasses: number): number {
  let max = -Infinity;
  for (let k = 0; k < numClasses; k++) max = Math.max(max, rows[base + k]!);
  return max;
}

function checkTemperature(temperature: number): void {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new Error(`temperature must be a finite number > 0, got ${temperature}`);
  }
}
