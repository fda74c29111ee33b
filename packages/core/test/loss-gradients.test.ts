import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import '@selfkd/core';
import { LOSS_GRADIENTS } from '../src/gradients/loss-gradients.js';
import { expectAllClose } from '../../../test/support/numeric-checks.js';

// Importing core registered its own gradients; capture them before tfjs-layers' Node bundle
// registers tfjs's (all of them, replacing core's), which are the reference here.
const coreGradients = new Map(LOSS_GRADIENTS.map((config) => [config.kernelName, tf.getGradient(config.kernelName)]));
await import('@tensorflow/tfjs-layers');
const tfjsGradients = new Map(LOSS_GRADIENTS.map((config) => [config.kernelName, tf.getGradient(config.kernelName)]));

/** A deterministic tensor of the given shape with distinct non-zero entries. */
function filled(shape: number[], offset: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: size }, (_, i) => Math.sin(1.3 * i + offset) + 1.5), shape);
}

/** The gradients of sum(op(inputs) · w) for every input, with w fixed so that dy is not uniform. */
function gradientsOf(op: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const probe = op(...inputs);
    const w = filled(probe.shape, 7);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(op(...xs), w)))(inputs);
    return grads.map((g, i) => {
      expect(g.shape, `gradient ${i} shape`).toEqual(inputs[i]!.shape);
      return g.dataSync() as Float32Array;
    });
  });
}

function withGradients<T>(configs: Map<string, tf.GradConfig | undefined>, run: () => T): T {
  for (const config of configs.values()) tf.registerGradient(config!);
  return run();
}

const cases: { kernel: string; name: string; op: (...xs: tf.Tensor[]) => tf.Tensor; shapes: number[][] }[] = [
  { kernel: tf.Add, name: 'add, b broadcast over rows', op: (a, b) => tf.add(a!, b!), shapes: [[2, 3], [3]] },
  { kernel: tf.Add, name: 'add, both broadcast', op: (a, b) => tf.add(a!, b!), shapes: [[2, 1], [1, 3]] },
  { kernel: tf.Sub, name: 'sub, scalar b', op: (a, b) => tf.sub(a!, b!), shapes: [[2, 3], []] },
  { kernel: tf.Multiply, name: 'mul, column b', op: (a, b) => tf.mul(a!, b!), shapes: [[2, 3], [2, 1]] },
  { kernel: tf.RealDiv, name: 'div, b broadcast over rows', op: (a, b) => tf.div(a!, b!), shapes: [[2, 3], [3]] },
  // tfjs's own squaredDifference gradient does not undo broadcasting, so both inputs have one shape here.
  { kernel: tf.SquaredDifference, name: 'squaredDifference', op: (a, b) => tf.squaredDifference(a!, b!), shapes: [[2, 3], [2, 3]] },
  { kernel: tf.Neg, name: 'neg', op: (x) => tf.neg(x!), shapes: [[2, 3]] },
  { kernel: tf.Exp, name: 'exp', op: (x) => tf.exp(x!), shapes: [[2, 3]] },
  { kernel: tf.Square, name: 'square', op: (x) => tf.square(x!), shapes: [[2, 3]] },
  { kernel: tf.Sum, name: 'sum over axis 1', op: (x) => tf.sum(x!, 1), shapes: [[2, 3, 2]] },
  { kernel: tf.Sum, name: 'sum over axes 0 and 2, keepDims', op: (x) => tf.sum(x!, [0, 2], true), shapes: [[2, 3, 2]] },
  { kernel: tf.Sum, name: 'sum of everything', op: (x) => tf.sum(x!), shapes: [[2, 3]] },
  { kernel: tf.Mean, name: 'mean over axis 0', op: (x) => tf.mean(x!, 0), shapes: [[4, 3]] },
  { kernel: tf.Mean, name: 'mean over axes 1 and 2, keepDims', op: (x) => tf.mean(x!, [1, 2], true), shapes: [[2, 3, 2]] },
  { kernel: tf.Relu, name: 'relu', op: (x) => tf.relu(tf.sub(x!, 1.5)), shapes: [[2, 3]] },
  { kernel: tf.Tanh, name: 'tanh', op: (x) => tf.tanh(tf.sub(x!, 1.5)), shapes: [[2, 3]] },
  { kernel: tf.Slice, name: 'slice', op: (x) => tf.slice(x!, [1, 0, 1], [2, 2, 1]), shapes: [[4, 3, 2]] },
  { kernel: tf.Slice, name: 'slice of a 1-d tensor', op: (x) => tf.slice(x!, 2, 3), shapes: [[6]] },
  { kernel: tf.SplitV, name: 'split, one piece used', op: (x) => tf.split(x!, 2, 0)[1]!, shapes: [[4, 3]] },
  { kernel: tf.SplitV, name: 'split on axis 1, both pieces used', op: (x) => tf.concat(tf.split(x!, [1, 2], 1).reverse(), 1), shapes: [[2, 3]] },
  {
    kernel: tf.Select,
    name: 'where',
    op: (t, e) => tf.where(tf.tensor2d([[true, false, true], [false, false, true]], [2, 3], 'bool'), t!, e!),
    shapes: [[2, 3], [2, 3]],
  },
  { kernel: tf.GatherV2, name: 'gather rows, repeated', op: (x) => tf.gather(x!, tf.tensor1d([2, 0, 2, 1], 'int32')), shapes: [[3, 4]] },
  {
    kernel: tf.GatherV2,
    name: 'gather on axis 1 with 2-d indices',
    op: (x) => tf.gather(x!, tf.tensor2d([[1, 0], [1, 1]], [2, 2], 'int32'), 1),
    shapes: [[2, 3, 2]],
  },
  { kernel: tf.AddN, name: 'addN of three', op: (a, b, c) => tf.addN([a!, b!, c!]), shapes: [[2, 3], [2, 3], [2, 3]] },
  { kernel: tf.Cast, name: 'cast', op: (x) => tf.mul(tf.cast(x!, 'float32'), 2), shapes: [[2, 3]] },
  { kernel: tf.Reshape, name: 'reshape', op: (x) => tf.reshape(x!, [3, 2]), shapes: [[2, 3]] },
  { kernel: tf.Identity, name: 'clone', op: (x) => tf.clone(x!), shapes: [[2, 3]] },
  { kernel: tf.BatchMatMul, name: 'matMul', op: (a, b) => tf.matMul(a!, b!), shapes: [[2, 3], [3, 4]] },
  { kernel: tf.BatchMatMul, name: 'matMul, transposeA', op: (a, b) => tf.matMul(a!, b!, true, false), shapes: [[3, 2], [3, 4]] },
  { kernel: tf.BatchMatMul, name: 'matMul, transposeB', op: (a, b) => tf.matMul(a!, b!, false, true), shapes: [[2, 3], [4, 3]] },
  { kernel: tf.BatchMatMul, name: 'matMul, both transposed', op: (a, b) => tf.matMul(a!, b!, true, true), shapes: [[3, 2], [4, 3]] },
  { kernel: tf.BatchMatMul, name: 'batched matMul', op: (a, b) => tf.matMul(a!, b!), shapes: [[2, 2, 3], [2, 3, 4]] },
];

describe("core's own loss gradients (registered when tfjs's are not loaded)", () => {
  it('cover every kernel they are listed for, once', () => {
    expect(new Set(LOSS_GRADIENTS.map((c) => c.kernelName)).size).toBe(LOSS_GRADIENTS.length);
    for (const config of LOSS_GRADIENTS) expect(coreGradients.get(config.kernelName), config.kernelName).toBe(config);
    expect(new Set(cases.map((c) => c.kernel))).toEqual(new Set(LOSS_GRADIENTS.map((c) => c.kernelName)));
  });

  it.each(cases)("$name: the same gradients as tfjs's own ($kernel)", ({ op, shapes }) => {
    const inputs = shapes.map((shape, i) => filled(shape, i));
    const expected = withGradients(tfjsGradients, () => gradientsOf(op, inputs));
    const actual = withGradients(coreGradients, () => gradientsOf(op, inputs));
    actual.forEach((g, i) => expectAllClose(g, expected[i]!, `input ${i}`));
    tf.dispose(inputs);
  });
});
