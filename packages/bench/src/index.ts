export {
  benchConfigSchema,
  combinationSchema,
  generateSchema,
  gridSchema,
  suiteSchema,
  type BenchConfig,
  type BenchConfigInput,
  type Combination,
  type ExpandedCombination,
  type GenerateSpec,
  type GridSpec,
} from './config/bench-config.js';
export { dropConflictingCombinations, type SkippedCombination } from './config/drop-conflicting-combinations.js';
export { loadBenchConfig, loadBenchSuites, parseBenchConfig, parseBenchSuites, type BenchSuite, type ParseBenchConfigOptions } from './config/parse-bench-config.js';
export { deepMerge, type PlainObject } from './config/deep-merge.js';
export { canonicalJson, configHash } from './config/config-hash.js';
export { expandRuns, RUNS_DIR, type RunSpec } from './expand-runs.js';
export { planBench, type BenchPlan, type PlanBenchOptions, type PlannedRun } from './plan/plan-bench.js';
export { formatPlan } from './plan/format-plan.js';
export { runBench, validateRuns, DATABASE_FILE, type BenchOptions, type BenchOutcome, type RunBenchOptions } from './run-bench.js';
export { runQueuedBench, type RunQueuedBenchOptions } from './queue/run-queued-bench.js';
export { runWorker, type RunWorkerOptions } from './queue/run-worker.js';
export { parseQueueUrl, type QueueAddress } from './queue/queue-url.js';
export { QUEUE_NAME, runJobId, type RunJobData, type RunJobResult } from './queue/run-job.js';
export { WORKER_LOCK_FILE } from './queue/run-folder-lock.js';
export type { TrainCommand, TrainCommandBuilder } from './runner/training-process.js';
export { RUN_CONFIG_FILE } from './runner/run-config-file.js';
export { TRAIN_LOG_FILE } from './runner/sweep.js';
export { LOCK_FILE } from './runner/bench-lock.js';
export { createProgressPrinter, formatProgress, type BenchProgress, type RunEvent } from './runner/progress.js';
export { BenchDatabase, type CompletedRun, type RecordedBenchmark, type RunRecord, type RunStatus } from './database/bench-database.js';
export { flattenMetrics } from './results/flatten-metrics.js';
export { readRunOutcome, type EpochPoint, type RunOutcome } from './results/run-outcome.js';
export { aggregate } from './aggregate/aggregate.js';
export type {
  BenchResults,
  BestCombination,
  CombinationResult,
  Comparison,
  PooledReliabilityBin,
  RunResult,
} from './aggregate/bench-results.js';
export type { Provenance } from './aggregate/provenance.js';
export type { EpochBand, LearningCurves } from './aggregate/learning-curves.js';
export { writeReports, type ReportFiles } from './report/write-reports.js';
export { writeSuitesReport, type SuiteReports } from './report/suites-report.js';
export { studentTCdf, studentTQuantile, studentTTwoSidedP } from './stats/student-t.js';
export { regularizedIncompleteBeta } from './stats/incomplete-beta.js';
export { pairedTTest, type PairedTTest } from './stats/paired-t-test.js';
export { summarize, CONFIDENCE, type Summary } from './stats/summary.js';
