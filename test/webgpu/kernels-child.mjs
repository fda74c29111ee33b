// Runs every op the selfkd models use in training (forward and gradients) on the cpu backend and on
// webgpu with the same inputs, and prints, per op, the largest difference relative to the cpu
// result's scale, as JSON. In a child process: Dawn's device must not live in a test worker.
//   node kernels-child.mjs
import process from 'node:process';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@selfkd/core';
import { releaseBackend, selectBackend } from '@selfkd/trainer';

const rng = new Rng('webgpu-kernels');
const normal = (shape) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());

// Inputs as plain arrays, so each backend builds its own tensors from the same numbers.
const x = { values: normal([4, 12, 12, 8]), shape: [4, 12, 12, 8] };
const filter = { values: normal([3, 3, 8, 16]), shape: [3, 3, 8, 16] };
const dense = { values: normal([4, 96]), shape: [4, 96] };
const weights = { values: normal([96, 10]), shape: [96, 10] };
const gamma = { values: normal([8]), shape: [8] };
const beta = { values: normal([8]), shape: [8] };
const labels = Int32Array.from({ length: 4 }, (_, i) => (i * 3) % 10);

const t = (input) => tf.tensor(input.values, input.shape);
const cases = {
  conv2d: () => tf.conv2d(t(x), t(filter), 1, 'same'),
  conv2dStride2: () => tf.conv2d(t(x), t(filter), 2, 'same'),
  conv2dGradients: () => {
    const [dx, df] = tf.grads((a, f) => tf.sum(tf.square(tf.conv2d(a, f, 1, 'same'))))([t(x), t(filter)]);
    return tf.concat([tf.reshape(dx, [-1]), tf.reshape(df, [-1])]);
  },
  batchNormTraining: () => {
    const { mean, variance } = tf.moments(t(x), [0, 1, 2]);
    return tf.batchNorm(t(x), mean, variance, t(beta), t(gamma), 1e-5);
  },
  batchNormGradient: () => tf.grad((a) => {
    const { mean, variance } = tf.moments(a, [0, 1, 2]);
    return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, t(beta), t(gamma), 1e-5), tf.sin(a)));
  })(t(x)),
  reluAndGradient: () => tf.grad((a) => tf.sum(tf.mul(tf.relu(a), a)))(t(x)),
  maxPoolAndGradient: () => tf.grad((a) => tf.sum(tf.square(tf.maxPool(a, 2, 2, 'valid'))))(t(x)),
  averagePoolAndGradient: () => tf.grad((a) => tf.sum(tf.square(tf.avgPool(a, 2, 2, 'valid'))))(t(x)),
  globalMean: () => tf.mean(t(x), [1, 2]),
  matMulAndGradient: () => {
    const [da, dw] = tf.grads((a, w) => tf.sum(tf.square(tf.matMul(a, w))))([t(dense), t(weights)]);
    return tf.concat([tf.reshape(da, [-1]), tf.reshape(dw, [-1])]);
  },
  softmaxCrossEntropyGradient: () =>
    tf.grad((z) => tf.neg(tf.sum(tf.mul(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), tf.logSoftmax(z)))))(tf.matMul(t(dense), t(weights))),
  softmaxWithTemperature: () => tf.softmax(tf.div(tf.matMul(t(dense), t(weights)), 4)),
  addMulSubDiv: () => tf.div(tf.sub(tf.mul(t(x), 1.5), tf.add(t(x), 0.25)), 3),
  padSliceConcat: () => tf.concat([tf.slice(tf.pad(t(x), [[0, 0], [1, 1], [1, 1], [0, 0]]), [0, 0, 0, 0], [4, 12, 12, 8]), t(x)], 3),
  transposeReshape: () => tf.reshape(tf.transpose(t(x), [0, 3, 1, 2]), [4, -1]),
  argMaxEqual: () => tf.cast(tf.equal(tf.argMax(tf.matMul(t(dense), t(weights)), 1), tf.tensor1d(labels, 'int32')), 'float32'),
};

async function computeAll() {
  const out = {};
  for (const [name, run] of Object.entries(cases)) {
    const result = tf.tidy(run);
    out[name] = await result.data();
    result.dispose();
  }
  return out;
}

await selectBackend('cpu');
const expected = await computeAll();
const selected = await selectBackend('webgpu');
const got = await computeAll();
const errors = {};
for (const name of Object.keys(cases)) {
  const scale = Math.max(1e-6, ...Array.from(expected[name], Math.abs));
  errors[name] = Math.max(...Array.from(got[name], (v, i) => Math.abs(v - expected[name][i]) / scale));
}
releaseBackend();
process.stdout.write(JSON.stringify({ adapter: selected.adapter, errors }) + '\n');
