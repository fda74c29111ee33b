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
export { checkEpsilon, lossGradientSign, type LogitsFn } from './attacks/loss-gradient-sign.js';
export { fgsm } from './attacks/fgsm.js';
export { pgd, type PgdOptions } from './attacks/pgd.js';
export { CORRUPTIONS, CORRUPTION_NAMES, corrupt, type Corruption, type CorruptionName } from './shift/corruptions.js';
export { gaussianNoise, impulseNoise, shotNoise } from './shift/noise.js';
export { defocusBlur, gaussianBlur } from './shift/blur.js';
export { brightness, contrast } from './shift/photometric.js';
export { pixelate, rotate, translate } from './shift/geometric.js';
export { samplePoisson } from './shift/poisson.js';
export { odinScores, type OdinOptions } from './ood/odin.js';
export { knownOodSets, oodSetNameProblem, openOodSet, type OodSetRequest } from './ood/ood-sets.js';
export { byteImageSource, type ImageSource } from './runner/image-source.js';
export { evaluationRows } from './runner/evaluation-rows.js';
export { toInputShape } from './runner/input-shape.js';
export { noiseImageSource } from './ood/noise-images.js';
export { evalConfigSchema, parseEvalConfig, type EvalConfig, type EvalConfigInput, type EvalSuite } from './runner/config.js';
export type { ProgressFn } from './runner/progress.js';
export type { EvaluableModel } from './runner/context.js';
export type { CalibrationReport, ClassificationReport } from './runner/classification-suite.js';
export type { AdversarialReport, FgsmReport, PgdReport } from './runner/adversarial-suite.js';
export type { OodReport, OodSetReport } from './runner/ood-suite.js';
export type { CorruptionReport, ShiftReport } from './runner/shift-suite.js';
export type { EvalReport } from './runner/report.js';
export { runEvaluation, type RunEvaluationOptions } from './runner/run-evaluation.js';
export { formatEvalReport } from './runner/format-report.js';
