import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@selfkd/core';
import { randomMatrix, type Matrix } from '../../../test/support/float64-reference.js';
import type { HeadParams } from './sd-dropout-reference.js';

export const B = 4;
export const C = 6;
export const K = 5;

/** Fixed small inputs: features, head kernel [C, K] and bias, as float32-representable numbers. */
export function headParams(seed: number): HeadParams {
  const rng = new Rng(seed);
  const next = () => rng.next();
  return { features: randomMatrix(B, C, next, 2), weight: randomMatrix(C, K, next), bias: randomMatrix(1, K, next)[0]! };
}

/** Inverted-dropout masks (0 or 1/(1 − p)) drawn in plain JS, so both sides of a check get the same numbers. */
export function fixedMasks(count: number, rate: number, seed: number): Matrix[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: B }, () => Array.from({ length: C }, () => (rng.next() < rate ? 0 : 1 / (1 - rate)))),
  );
}

export function denseHead(weight: tf.Tensor2D, bias: tf.Tensor1D): (f: tf.Tensor2D) => tf.Tensor2D {
  return (f) => tf.add(tf.matMul(f, weight), bias);
}
