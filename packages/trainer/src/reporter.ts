/** What a run reports as it goes; every member optional. */
export interface TrainingReporter {
  runStart?(info: RunStartInfo): void;
  epochStart?(epoch: number, totalEpochs: number, stepsPerEpoch: number): void;
  step?(info: StepInfo): void;
  epochEnd?(record: EpochRecord): void;
  /** The evaluation suite's report (`@selfkd/eval`'s EvalReport), when the run ends with one. */
  evaluationEnd?(report: unknown): void;
  message?(text: string): void;
  /** Called once when the run ends, successfully or not, so a progress display can clean up. */
  close?(): void;
}

export interface RunStartInfo {
  backend: string;
  provider: string;
  seed: number;
  totalEpochs: number;
  startEpoch: number;
  stepsPerEpoch: number;
  trainSamples: number;
  regularizers: string[];
}

export interface StepInfo {
  epoch: number;
  /** 1-based step within the epoch. */
  stepInEpoch: number;
  stepsPerEpoch: number;
  /** Training images processed per second in this epoch so far (anchors and extra rows). */
  samplesPerSecond: number;
  /** Running mean of each loss term over this epoch. */
  losses: Record<string, number>;
}

/** One line of metrics.jsonl. */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  lr: number;
  /** Epoch means of `total`, `task` and each regularizer's (unweighted) term. */
  train: Record<string, number>;
  /** On the held-out validation split, when the config has one (`data.validation`). */
  validation?: { top1: number; nll: number };
  test: { top1: number; nll: number };
  seconds: number;
}
