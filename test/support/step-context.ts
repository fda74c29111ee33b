import type { StepContext } from '@selfkd/core';

/**
 * The StepContext members a test of a loss on given logits does not exercise: the model exposes
 * no taps, and running it again inside the step is not expected.
 */
export const noModelInStep: Pick<StepContext, 'taps' | 'forward'> = {
  taps: {},
  forward: () => {
    throw new Error('this test gives the regularizer no model to run inside the step');
  },
};
