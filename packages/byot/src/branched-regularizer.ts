import type * as tf from '@tensorflow/tfjs-core';
import type { Regularizer, SetupContext, StepContext } from '@selfkd/core';
import { TapBranches } from './tap-branches.js';

/**
 * A regularizer whose loss reads branches of its own on model taps (BYOT, DKS): it creates them in
 * `setup`, hands them to the trainer as its trainable variables, and releases them in `dispose`.
 * Subclasses say what the loss does with the branches' outputs.
 */
export abstract class BranchedRegularizer<Options extends { taps: readonly string[] }> implements Regularizer {
  abstract readonly type: string;
  protected readonly branches: TapBranches;

  constructor(
    readonly name: string,
    readonly weight: number,
    protected readonly options: Options,
  ) {
    this.branches = new TapBranches(name, options.taps);
  }

  setup(ctx: SetupContext): void {
    this.branches.create(ctx);
  }

  trainableVariables(): tf.Variable[] {
    return this.branches.variables();
  }

  abstract loss(ctx: StepContext): tf.Scalar;

  dispose(): void {
    this.branches.dispose();
  }
}
