import * as tf from '@tensorflow/tfjs-core';

/**
 * Sums an upstream gradient over the axes along which `shape` was broadcast to dy's shape, so that
 * the result has `shape` (the gradient of a broadcasting binary op with respect to one input).
 */
function unbroadcast(dy: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, dy.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape);
}

const add: tf.GradConfig = {
  kernelName: tf.Add,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    return { a: () => unbroadcast(dy as tf.Tensor, a.shape), b: () => unbroadcast(dy as tf.Tensor, b.shape) };
  },
};

const sub: tf.GradConfig = {
  kernelName: tf.Sub,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    return { a: () => unbroadcast(dy as tf.Tensor, a.shape), b: () => unbroadcast(tf.neg(dy as tf.Tensor), b.shape) };
  },
};

const multiply: tf.GradConfig = {
  kernelName: tf.Multiply,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    return {
      a: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.cast(b, 'float32')), a.shape),
      b: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.cast(a, 'float32')), b.shape),
    };
  },
};

const realDiv: tf.GradConfig = {
  kernelName: tf.RealDiv,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    return {
      a: () => unbroadcast(tf.div(dy as tf.Tensor, tf.cast(b, 'float32')), a.shape),
      // d(a/b)/db = −a/b²
      b: () => unbroadcast(tf.neg(tf.div(tf.mul(dy as tf.Tensor, tf.cast(a, 'float32')), tf.square(tf.cast(b, 'float32')))), b.shape),
    };
  },
};

const squaredDifference: tf.GradConfig = {
  kernelName: tf.SquaredDifference,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const twiceDiff = () => tf.mul(dy as tf.Tensor, tf.mul(tf.sub(a, b), 2));
    return { a: () => unbroadcast(twiceDiff(), a.shape), b: () => unbroadcast(tf.neg(twiceDiff()), b.shape) };
  },
};

const neg: tf.GradConfig = {
  kernelName: tf.Neg,
  gradFunc: (dy) => ({ x: () => tf.neg(dy as tf.Tensor) }),
};

const exp: tf.GradConfig = {
  kernelName: tf.Exp,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, y) };
  },
};

const square: tf.GradConfig = {
  kernelName: tf.Square,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.mul(tf.cast(x, 'float32'), 2)) };
  },
};

/** dy of a reduction over `axis` spread back over x's shape: each reduced element gets its result's gradient. */
function spreadOverReduced(dy: tf.Tensor, x: tf.Tensor, { axis, keepDims }: tf.SumAttrs): { spread: tf.Tensor; count: number } {
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const kept = keepDims ? dy : tf.reshape(dy, tf.backend_util.expandShapeToKeepDim(dy.shape, axes));
  return { spread: tf.broadcastTo(kept, x.shape), count: axes.reduce((n, a) => n * x.shape[a]!, 1) };
}

const sum: tf.GradConfig = {
  kernelName: tf.Sum,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => spreadOverReduced(dy as tf.Tensor, x, attrs as unknown as tf.SumAttrs).spread };
  },
};

const mean: tf.GradConfig = {
  kernelName: tf.Mean,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    return {
      x: () => {
        const { spread, count } = spreadOverReduced(dy as tf.Tensor, x, attrs as unknown as tf.MeanAttrs);
        return tf.div(spread, count);
      },
    };
  },
};

const relu: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.step(tf.cast(x, 'float32'))) };
  },
};

const tanh: tf.GradConfig = {
  kernelName: tf.Tanh,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(y))) };
  },
};

const slice: tf.GradConfig = {
  kernelName: tf.Slice,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const { begin, size } = attrs as unknown as tf.SliceAttrs;
    const [start, extent] = tf.slice_util.parseSliceParams(x, begin, size);
    // The slice's gradient lands where it was cut from; everywhere else it is zero.
    const paddings = x.shape.map((dim, i): [number, number] => [start[i]!, dim - start[i]! - extent[i]!]);
    return { x: () => tf.pad(dy as tf.Tensor, paddings) };
  },
};

const splitV: tf.GradConfig = {
  kernelName: tf.SplitV,
  gradFunc: (dy, _saved, attrs) => {
    const { axis } = attrs as unknown as tf.SplitVAttrs;
    // The pieces' gradients (zeros for a piece the loss did not use), joined back along the split axis.
    return { x: () => tf.concat(dy as tf.Tensor[], axis) };
  },
};

const select: tf.GradConfig = {
  kernelName: tf.Select,
  inputsToSave: ['condition'],
  gradFunc: (dy, saved) => {
    const [condition] = saved as [tf.Tensor];
    const g = dy as tf.Tensor;
    return {
      condition: () => tf.cast(tf.zerosLike(condition), 'float32'),
      t: () => tf.mul(g, tf.cast(condition, g.dtype)),
      e: () => tf.mul(g, tf.cast(tf.logicalNot(condition), g.dtype)),
    };
  },
};

const gatherV2: tf.GradConfig = {
  kernelName: tf.GatherV2,
  inputsToSave: ['x', 'indices'],
  gradFunc: (dy, saved, attrs) => {
    const [x, indices] = saved as [tf.Tensor, tf.Tensor];
    const { axis, batchDims } = attrs as unknown as tf.GatherV2Attrs;
    if (batchDims !== 0) {
      throw new Error(`@selfkd/core's gradient of gather takes batchDims 0 (got ${batchDims}); import @tensorflow/tfjs-layers or @tensorflow/tfjs to load tfjs's own gradients`);
    }
    const [gatherAxis] = tf.util.parseAxisParam(axis, x.shape);
    return {
      x: () => {
        // dy is x's shape with axis `gatherAxis` replaced by indices' shape. Bring those axes to the
        // front as one, add up the rows each index received, and put the axis back.
        const g = dy as tf.Tensor;
        const outer = Array.from({ length: gatherAxis! }, (_, i) => i);
        const indexAxes = Array.from({ length: indices.rank }, (_, i) => gatherAxis! + i);
        const inner = Array.from({ length: g.rank - gatherAxis! - indices.rank }, (_, i) => gatherAxis! + indices.rank + i);
        const front = tf.transpose(g, [...indexAxes, ...outer, ...inner]);
        const rows = tf.reshape(front, [indices.size, ...front.shape.slice(indices.rank)]);
        const summed = tf.unsortedSegmentSum(rows, tf.reshape(tf.cast(indices, 'int32'), [indices.size]), x.shape[gatherAxis!]!);
        const back = [...outer.map((a) => a + 1), 0, ...inner.map((_, i) => gatherAxis! + 1 + i)];
        return tf.transpose(summed, back);
      },
      indices: () => tf.cast(tf.zerosLike(indices), 'float32'),
    };
  },
};

const addN: tf.GradConfig = {
  kernelName: tf.AddN,
  saveAllInputs: true,
  gradFunc: (dy, saved) => Object.fromEntries(saved.map((_, i) => [i, () => tf.clone(dy as tf.Tensor)])),
};

const cast: tf.GradConfig = {
  kernelName: tf.Cast,
  gradFunc: (dy) => ({ x: () => tf.clone(dy as tf.Tensor) }),
};

const reshape: tf.GradConfig = {
  kernelName: tf.Reshape,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.reshape(dy as tf.Tensor, x.shape) };
  },
};

const identity: tf.GradConfig = {
  kernelName: tf.Identity,
  gradFunc: (dy) => ({ x: () => tf.clone(dy as tf.Tensor) }),
};

const batchMatMul: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const g = dy as tf.Tensor;
    // y = op(a)·op(b), op transposing the last two axes when asked: da = dy·op(b)ᵀ and db = op(a)ᵀ·dy,
    // written so that each comes out in a's (b's) own layout.
    const da = transposeA ? tf.matMul(b, g, transposeB, true) : tf.matMul(g, b, false, !transposeB);
    const db = transposeB ? tf.matMul(g, a, true, transposeA) : tf.matMul(a, g, !transposeA, false);
    return { a: () => unbroadcast(da, a.shape), b: () => unbroadcast(db, b.shape) };
  },
};

/**
 * The gradients of the kernels that selfkd's loss terms record on the tape: core's KL and soft-target
 * cross-entropy and the composition (weighting and summing the terms; logSoftmax and stopGradient
 * carry their own gradients through customGrad), the regularizers' batch means, squared differences,
 * halves, selections and gathers, and a dense head or branch (matMul plus a bias, relu, tanh), which
 * SD-Dropout and the feature-level regularizers run inside their losses. Convolutions and the other layers' kernels
 * come with tfjs-layers, which every selfkd model loads.
 */
export const LOSS_GRADIENTS: readonly tf.GradConfig[] = [
  add,
  sub,
  multiply,
  realDiv,
  squaredDifference,
  neg,
  exp,
  square,
  relu,
  tanh,
  sum,
  mean,
  addN,
  cast,
  reshape,
  identity,
  slice,
  splitV,
  select,
  gatherV2,
  batchMatMul,
];
