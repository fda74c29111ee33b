/** A loss term became NaN or ±Inf; the run stops and the last good checkpoint stays as it is. */
export class DivergenceError extends Error {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly term: string,
    readonly value: number,
  ) {
    super(
      `loss term "${term}" is ${value} at epoch ${epoch}, step ${step}: training stopped. ` +
        'The last good checkpoint is kept; lower the learning rate or the regularizer weight and resume or restart.',
    );
    this.name = 'DivergenceError';
  }
}
