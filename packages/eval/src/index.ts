export { argmaxRows, countRows, logSumExpRows, softmaxRows, type Labels, type ScoreRows } from './metrics/rows.js';
export { topKAccuracy } from './metrics/top-k-accuracy.js';
export { negativeLogLikelihood } from './metrics/nll.js';
export { brierScore } from './metrics/brier.js';
export {
  DEFAULT_BINNING,
  PSKD_BINNING,
  confidenceAndCorrectness,
  eceOfBins,
  expectedCalibrationError,
  maxCalibrationError,
  mceOfBins,
  psKdExpectedCalibrationError,
  reliabilityDiagram,
  type CalibrationBinning,
  type ReliabilityBin,
} from './metrics/calibration.js';
export { energyScore, maxSoftmaxScore } from './ood/scores.js';
export {
  auprIn,
  auprOut,
  auroc,
  averagePrecision,
  detectionMetrics,
  fprAtTpr,
  type DetectionMetrics,
} from './ood/detection-metrics.js';
