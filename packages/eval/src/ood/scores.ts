import { argmaxRows, logSumExpRows, softmaxRows, type ScoreRows } from '../metrics/rows.js';

/*
 * OOD scores, one per row; higher means "more in-distribution" for every score here, which is
 * the convention the detection metrics expect.
 */

/**
 * Maximum softmax probability `max_k σ(z/T)_k` (Hendrycks & Gimpel 2017 at T = 1). At a large T
 * on an input-perturbed image this is ODIN's score (Liang et al. 2018); the perturbation needs
 * the model and lives in the evaluation runner.
 */
export function maxSoftmaxScore(logits: ScoreRows, numClasses: number, temperature = 1): Float64Array {
  return argmaxRows(softmaxRows(logits, numClasses, temperature), numClasses).value;
}

/** Negative free energy `T · log Σ_k exp(z_k / T)` (Liu et al. 2020). */
export function energyScore(logits: ScoreRows, numClasses: number, temperature = 1): Float64Array {
  return logSumExpRows(logits, numClasses, temperature).map((v) => v * temperature);
}
