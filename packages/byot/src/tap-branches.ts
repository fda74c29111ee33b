import * as tf from '@tensorflow/tfjs-core';
import type { Rng, SetupContext } from '@selfkd/core';

/**
 * The weights of one branch: a bottleneck (a 1×1 convolution with ReLU from the tap's C channels to
 * the model's feature width D, then a global average pool) and a classifier (dense, D → classes).
 */
export interface BranchWeights {
  bottleneckKernel: tf.Variable;
  bottleneckBias: tf.Variable;
  classifierKernel: tf.Variable;
  classifierBias: tf.Variable;
}

/** What a branch computes from its tap: pooled bottleneck features `[B, D]` and logits `[B, K]`. */
export interface BranchOutput {
  features: tf.Tensor2D;
  logits: tf.Tensor2D;
}

/**
 * One branch's output on its tap. A feature map `[B, H, W, C]` is projected at every position, then
 * averaged over the positions; a vector tap `[B, C]` is one position. Gradients reach the tap, so
 * the branch's losses also train the layers below it, as in the references.
 */
export function branchOutput(tap: tf.Tensor, weights: BranchWeights): BranchOutput {
  const channels = weights.bottleneckKernel.shape[0]!;
  if ((tap.rank !== 2 && tap.rank !== 4) || tap.shape[tap.rank - 1] !== channels) {
    throw new Error(`a branch reads a [B, ${channels}] or [B, H, W, ${channels}] tap, got shape [${tap.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const batch = tap.shape[0]!;
    const width = weights.bottleneckKernel.shape[1]!;
    const positions = tap.size / (batch * channels);
    const projected = tf.relu(tf.add(tf.matMul(tf.reshape(tap, [batch * positions, channels]), weights.bottleneckKernel), weights.bottleneckBias));
    const features = tf.mean(tf.reshape(projected, [batch, positions, width]), 1) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(features, weights.classifierKernel), weights.classifierBias) as tf.Tensor2D;
    return { features, logits };
  });
}

/** The weights of every branch as a flat list, in the order the trainer sees (and checkpoints) them. */
export function branchVariables(weights: BranchWeights): tf.Variable[] {
  return [weights.bottleneckKernel, weights.bottleneckBias, weights.classifierKernel, weights.classifierBias];
}

/**
 * PyTorch's default initialisation of a Linear or Conv2d layer, U(−1/√fanIn, 1/√fanIn) for kernel
 * and bias alike, drawn from the run's generator so that a seed fixes the branches too.
 */
function uniformVariable(shape: [number] | [number, number], fanIn: number, rng: Rng): tf.Variable {
  const bound = 1 / Math.sqrt(fanIn);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.variable(tf.tensor(Float32Array.from({ length: size }, () => (2 * rng.next() - 1) * bound), shape));
}

/**
 * A branch on each of the named taps, owned by one regularizer: created in `setup` (sized by the
 * model's tap shapes, feature width and classes), trained and checkpointed by the trainer through
 * the regularizer's `trainableVariables`, never part of the exported model.
 */
export class TapBranches {
  private weights: BranchWeights[] = [];

  constructor(
    /** The regularizer's name, for messages. */
    private readonly owner: string,
    readonly taps: readonly string[],
  ) {}

  create(ctx: SetupContext): void {
    const { tapShapes, featureDim, numClasses } = ctx.model;
    for (const tap of this.taps) {
      const shape = tapShapes[tap];
      if (!shape) throw new Error(`${this.owner}: the model has no tap "${tap}"; its taps: ${Object.keys(tapShapes).join(', ') || '(none)'}`);
      if (shape.length !== 1 && shape.length !== 3) {
        throw new Error(`${this.owner}: tap "${tap}" has per-sample shape [${shape.join(', ')}]; a branch reads a vector [C] or a feature map [H, W, C]`);
      }
    }
    this.dispose();
    this.weights = this.taps.map((tap) => {
      const shape = tapShapes[tap]!;
      const channels = shape[shape.length - 1]!;
      return {
        bottleneckKernel: uniformVariable([channels, featureDim], channels, ctx.rng),
        bottleneckBias: uniformVariable([featureDim], channels, ctx.rng),
        classifierKernel: uniformVariable([featureDim, numClasses], featureDim, ctx.rng),
        classifierBias: uniformVariable([numClasses], featureDim, ctx.rng),
      };
    });
  }

  variables(): tf.Variable[] {
    return this.weights.flatMap(branchVariables);
  }

  /** Each branch's output on this step's taps, in the order of `taps`. */
  outputs(taps: Readonly<Record<string, tf.Tensor>>): BranchOutput[] {
    if (this.weights.length !== this.taps.length) throw new Error(`${this.owner}: loss before setup; the trainer calls setup first`);
    return this.taps.map((name, i) => {
      const tap = taps[name];
      if (!tap) throw new Error(`${this.owner}: this step has no tap "${name}"`);
      return branchOutput(tap, this.weights[i]!);
    });
  }

  dispose(): void {
    tf.dispose(this.variables());
    this.weights = [];
  }
}
