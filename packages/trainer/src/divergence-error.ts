/**
 * Training diverged: a loss term became NaN or ±Inf, or the total loss ran past `train.maxLoss`.
 * The run stops before the optimizer applies that step. `train` completes the message with what
 * is on disk (`describeCheckpoint`), so the user knows whether there is anything to resume.
 */
export class DivergenceError extends Error {
  readonly reason: string;

  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly term: string,
    readonly value: number,
    /** The bound the total loss crossed; undefined when the value is not finite. */
    readonly limit?: number,
  ) {
    const cause =
      limit === undefined
        ? `loss term "${term}" is ${value} at epoch ${epoch}, step ${step}`
        : `the total loss ${formatLoss(value)} at epoch ${epoch}, step ${step} exceeds train.maxLoss (${formatLoss(limit)}): the run diverged`;
    super(`${cause}: training stopped.`);
    this.name = 'DivergenceError';
    this.reason = cause;
  }

  /** Adds what a user can do given the newest checkpoint on disk (undefined: none was written). */
  describeCheckpoint(outDir: string, checkpointEpoch: number | undefined): void {
    const advice = 'lower the learning rate or the regularizer weights';
    this.message =
      checkpointEpoch === undefined
        ? `${this.reason}: training stopped. No checkpoint was written before it (it diverged in the first epoch of this run), so there is nothing to resume: ${advice} and start again.`
        : `${this.reason}: training stopped. The newest checkpoint in ${outDir} is from epoch ${checkpointEpoch}, written before the divergence, but resuming it with the same config diverges again: ${advice} and start a new run (--init-from ${outDir} starts one from its weights).`;
  }
}

function formatLoss(value: number): string {
  return Math.abs(value) >= 1e5 ? value.toExponential(3) : value.toPrecision(4);
}
