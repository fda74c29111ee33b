import { argmaxRows, countRows, type Labels, type ScoreRows } from './rows.js';

/**
 * How confidences are cut into `bins` equal-width intervals of [0, 1].
 * - `upper-closed`: (lo, hi], as in Guo et al.'s temperature-scaling code and PS-KD's
 *   `metric_ece_aurc_eaurc`. A confidence of exactly 0 lies in no bin but still counts in N.
 * - `lower-closed`: [lo, hi), the last bin closed at 1 (numpy.digitize style).
 */
export interface CalibrationBinning {
  bins: number;
  interval: 'upper-closed' | 'lower-closed';
}

/** The default ECE binning: 15 bins (lo, hi] (Guo et al. 2017). */
export const DEFAULT_BINNING: CalibrationBinning = { bins: 15, interval: 'upper-closed' };

/**
 * PS-KD's ECE (Kim et al. 2021): 10 bins (lo, hi]. Their edges come from `np.arange(0.1, 1.1, 0.1)`
 * and differ from k/10 by at most 1e-16, far below float32 spacing, so on float32 confidences
 * this binning assigns every sample exactly as theirs does. They report it ×100.
 */
export const PSKD_BINNING: CalibrationBinning = { bins: 10, interval: 'upper-closed' };

/** One bar of a reliability diagram. `confidence` and `accuracy` are null for an empty bin. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean confidence of the samples in the bin. */
  confidence: number | null;
  /** Fraction of them predicted correctly. */
  accuracy: number | null;
}

/** Top-1 confidence (max probability) and whether the argmax is the label, per row. */
export function confidenceAndCorrectness(
  probabilities: ScoreRows,
  labels: Labels,
  numClasses: number,
): { confidence: Float64Array; correct: Uint8Array } {
  countRows(probabilities, numClasses, labels);
  const { index, value } = argmaxRows(probabilities, numClasses);
  return { confidence: value, correct: Uint8Array.from(index, (k, i) => (k === labels[i] ? 1 : 0)) };
}

/**
 * Per-bin count, mean confidence and accuracy.
 *
 * @param confidence N confidences in [0, 1]
 * @param correct N flags (1/true = correct)
 */
export function reliabilityDiagram(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  binning: CalibrationBinning = DEFAULT_BINNING,
): ReliabilityBin[] {
  checkBinning(binning);
  if (correct.length !== confidence.length) {
    throw new Error(`correct has ${correct.length} entries but confidence has ${confidence.length}`);
  }
  const { bins } = binning;
  const count = new Float64Array(bins);
  const confidenceSum = new Float64Array(bins);
  const correctSum = new Float64Array(bins);
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i]!;
    if (!(c >= 0 && c <= 1)) throw new Error(`confidence[${i}] is ${c}; confidences must lie in [0, 1]`);
    const b = binOf(c, binning);
    if (b < 0) continue;
    count[b]!++;
    confidenceSum[b]! += c;
    if (correct[i]) correctSum[b]!++;
  }
  return Array.from(count, (n, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: n,
    confidence: n > 0 ? confidenceSum[b]! / n : null,
    accuracy: n > 0 ? correctSum[b]! / n : null,
  }));
}

/**
 * Expected calibration error (Naeini et al. 2015; Guo et al. 2017):
 * `Σ_b (n_b / N) · |accuracy_b − confidence_b|` over the bins of `binning`, N all samples.
 * A fraction in [0, 1] (papers often print it ×100). NaN for zero samples.
 */
export function expectedCalibrationError(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  binning: CalibrationBinning = DEFAULT_BINNING,
): number {
  return eceOfBins(reliabilityDiagram(confidence, correct, binning), confidence.length);
}

/** ECE with PS-KD's binning ({@link PSKD_BINNING}), as a fraction (PS-KD prints ×100). */
export function psKdExpectedCalibrationError(confidence: ArrayLike<number>, correct: ArrayLike<number | boolean>): number {
  return expectedCalibrationError(confidence, correct, PSKD_BINNING);
}

/** Maximum calibration error: the largest `|accuracy_b − confidence_b|` over non-empty bins; 0 with no samples. */
export function maxCalibrationError(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  binning: CalibrationBinning = DEFAULT_BINNING,
): number {
  return mceOfBins(reliabilityDiagram(confidence, correct, binning));
}

/** ECE from already-binned data (saves a second pass when the diagram is wanted too). */
export function eceOfBins(bins: readonly ReliabilityBin[], totalSamples: number): number {
  let total = 0;
  for (const bin of bins) if (bin.count > 0) total += bin.count * Math.abs(bin.accuracy! - bin.confidence!);
  return total / totalSamples;
}

/** MCE from already-binned data. */
export function mceOfBins(bins: readonly ReliabilityBin[]): number {
  let max = 0;
  for (const bin of bins) if (bin.count > 0) max = Math.max(max, Math.abs(bin.accuracy! - bin.confidence!));
  return max;
}

/** The bin holding confidence c, or -1 when it lies in none (0 with upper-closed bins). */
function binOf(c: number, { bins, interval }: CalibrationBinning): number {
  // Start from the arithmetic guess, then settle it against the edges b/bins themselves so a
  // confidence exactly on an edge goes where the interval convention says.
  if (interval === 'upper-closed') {
    if (c === 0) return -1;
    let b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    while (b > 0 && c <= b / bins) b--;
    while (b < bins - 1 && c > (b + 1) / bins) b++;
    return b;
  }
  let b = Math.min(bins - 1, Math.floor(c * bins));
  while (b > 0 && c < b / bins) b--;
  while (b < bins - 1 && c >= (b + 1) / bins) b++;
  return b;
}

function checkBinning(binning: CalibrationBinning): void {
  if (!Number.isInteger(binning.bins) || binning.bins < 1) {
    throw new Error(`bins must be a positive integer, got ${binning.bins}`);
  }
  if (binning.interval !== 'upper-closed' && binning.interval !== 'lower-closed') {
    throw new Error(`interval must be 'upper-closed' or 'lower-closed', got ${JSON.stringify(binning.interval)}`);
  }
}
