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
export { riskCoverage, type RiskCoverage } from './metrics/risk-coverage.js';
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
export { evalConfigSchema, evalConfigSchemaOf, parseEvalConfig, type EvalConfig, type EvalConfigInput } from './runner/config.js';
export type { ProgressFn } from './runner/progress.js';
export type { EvaluableModel, SuiteContext, TestLogits } from './runner/context.js';
export { defineEvalSuite, type EvalSuite } from './runner/eval-suite.js';
export type { ClassificationReport } from './suites/classification-suite.js';
export type { CalibrationReport } from './suites/calibration-suite.js';
export type { AdversarialReport, FgsmReport, PgdReport } from './suites/adversarial-suite.js';
export type { OodReport, OodSetReport } from './suites/ood-suite.js';
export type { CorruptionReport, ShiftReport } from './suites/shift-suite.js';
export { builtinEvalSuites } from './suites/builtin-suites.js';
export { module } from './module.js';
export { corruptionOf, fgsmEpsilon, FGSM_CLEAN, oodAurocParts } from './suites/metric-names.js';
export type { EvalReport } from './runner/report.js';
export { runEvaluation, type RunEvaluationOptions } from './runner/run-evaluation.js';
export { formatEvalReport } from './runner/format-report.js';
export { evalMetrics, metricDirection } from './runner/report-metrics.js';
