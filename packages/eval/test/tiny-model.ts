import * as tf from '@tensorflow/tfjs-core';
import { Rng, type ForwardOutput } from '@selfkd/core';

/** A hand-built classifier: flatten → tanh(xW₁ + b₁) → W₂ + b₂, weights drawn from a seeded Rng. */
export interface TinyModel {
  kind: string;
  inputShape: readonly number[];
  numClasses: number;
  featureDim: number;
  forward(x: tf.Tensor, training: boolean): ForwardOutput;
  /** Logits straight from pixels (no normalisation), for the attack functions. */
  logitsOf(pixels: tf.Tensor4D): tf.Tensor2D;
  w1: tf.Tensor2D;
  w2: tf.Tensor2D;
  dispose(): void;
}

export function tinyModel(seed: string, inputShape: [number, number, number], numClasses: number, hidden = 16, scale = 3): TinyModel {
  const rng = new Rng(seed);
  const inputs = inputShape[0] * inputShape[1] * inputShape[2];
  const draw = (rows: number, cols: number, std: number) =>
    tf.tensor2d(Float32Array.from({ length: rows * cols }, () => std * rng.normal()), [rows, cols]);
  const w1 = draw(inputs, hidden, scale / Math.sqrt(inputs));
  const b1 = draw(1, hidden, 0.1);
  const w2 = draw(hidden, numClasses, scale / Math.sqrt(hidden));
  const b2 = draw(1, numClasses, 0.1);
  const features = (x: tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => tf.tanh(tf.add(tf.matMul(tf.reshape(x, [x.shape[0]!, inputs]), w1), b1)) as tf.Tensor2D);
  const head = (f: tf.Tensor2D): tf.Tensor2D => tf.tidy(() => tf.add(tf.matMul(f, w2), b2) as tf.Tensor2D);
  return {
    kind: 'tiny-mlp',
    inputShape,
    numClasses,
    featureDim: hidden,
    forward(x) {
      const f = features(x);
      return { features: f, logits: head(f), taps: {} };
    },
    logitsOf: (pixels) => tf.tidy(() => {
      const f = features(pixels);
      return head(f);
    }),
    w1,
    w2,
    dispose: () => [w1, b1, w2, b2].forEach((t) => t.dispose()),
  };
}

/** Pixels in [0, 1] drawn uniformly from a seeded Rng. */
export function randomPixels(seed: string, shape: [number, number, number, number]): tf.Tensor4D {
  const rng = new Rng(seed);
  return tf.tensor4d(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next()), shape);
}

/** Per-row cross-entropy of logits against labels, in float64 JS. */
export function crossEntropyRows(logits: tf.Tensor2D, labels: ArrayLike<number>): number[] {
  const [n, k] = logits.shape;
  const z = logits.dataSync();
  return Array.from({ length: n }, (_, i) => {
    const row = Array.from(z.subarray(i * k, (i + 1) * k));
    const max = Math.max(...row);
    return max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) - row[labels[i]!]!;
  });
}

/** The model's own argmax on clean pixels, so clean accuracy is 100% and every error is the attack's. */
export function predictedLabels(logitsOf: (p: tf.Tensor4D) => tf.Tensor2D, pixels: tf.Tensor4D): Int32Array {
  const argmax = tf.tidy(() => tf.argMax(logitsOf(pixels), 1));
  const labels = Int32Array.from(argmax.dataSync());
  argmax.dispose();
  return labels;
}
