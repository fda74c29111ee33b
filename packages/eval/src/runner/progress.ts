/** Reports how far a suite has got: `done` of `total` units under a stage label. */
export type ProgressFn = (done: number, total: number, label: string) => void;

/** Counts units done in one stage and forwards them to the caller's callback. */
export class StageProgress {
  private done = 0;

  constructor(
    private readonly report: ProgressFn | undefined,
    readonly label: string,
    readonly total: number,
  ) {
    report?.(0, total, label);
  }

  advance(units: number): void {
    this.done += units;
    this.report?.(this.done, this.total, this.label);
  }
}
