import type { StepInfo } from '@selfkd/trainer';

/**
 * The trainer reports the running mean of each loss term over the epoch; a step's own loss is the
 * difference of consecutive running sums: n·mean_n − (n−1)·mean_(n−1).
 */
export class StepLosses {
  private previous: Record<string, number> = {};

  startEpoch(): void {
    this.previous = {};
  }

  of(info: StepInfo): Record<string, number> {
    const n = info.stepInEpoch;
    const losses = Object.fromEntries(
      Object.entries(info.losses).map(([term, mean]) => [term, n * mean - (n - 1) * (this.previous[term] ?? 0)]),
    );
    this.previous = info.losses;
    return losses;
  }
}

/** Steps are numbered across epochs from 1, so per-step curves of a resumed run continue where they stopped. */
export function globalStep(info: StepInfo): number {
  return info.epoch * info.stepsPerEpoch + info.stepInEpoch;
}
