import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setUpBackends, wasmDataCount } from './helpers.js';

describe('Identity and same-dtype Cast on wasm', () => {
  beforeAll(setUpBackends);

  it('share the data of their input, which outlives any one holder', () => {
    tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const heap = wasmDataCount();
    const copy = tf.clone(x);
    const sameDtype = tf.cast(x, 'float32');
    expect(wasmDataCount()).toBe(heap);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    copy.dispose();
    expect(sameDtype.shape).toEqual([2, 3]);
    expect(Array.from(sameDtype.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    sameDtype.dispose();
    expect(wasmDataCount()).toBe(heap - 1);
  });

  it('convert between dtypes, casting to bool as x ≠ 0', () => {
    tf.setBackend('wasm');
    const x = tf.tensor1d([1.7, -2.2, 0]);
    const ints = tf.cast(x, 'int32');
    const bools = tf.cast(x, 'bool');
    const intBools = tf.cast(tf.tensor1d([3, 0, -1], 'int32'), 'bool');
    const floats = tf.cast(bools, 'float32');
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([1, -2, 0]);
    // Casting to bool is x ≠ 0 (the stock kernel turned −2.2 into 254).
    expect(bools.dtype).toBe('bool');
    expect(Array.from(bools.dataSync())).toEqual([1, 1, 0]);
    expect(Array.from(intBools.dataSync())).toEqual([1, 0, 1]);
    expect(Array.from(floats.dataSync())).toEqual([1, 1, 0]);
    tf.dispose([x, ints, bools, intBools, floats]);
  });

  it('leave a variable’s earlier value intact when the variable is assigned', () => {
    tf.setBackend('wasm');
    const v = tf.variable(tf.tensor1d([1, 2]));
    const snapshot = tf.clone(v);
    v.assign(tf.tensor1d([7, 8]));
    expect(Array.from(snapshot.dataSync())).toEqual([1, 2]);
    expect(Array.from(v.dataSync())).toEqual([7, 8]);
    tf.dispose([v, snapshot]);
  });
});
