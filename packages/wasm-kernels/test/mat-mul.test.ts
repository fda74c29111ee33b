import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectKernelMatchesCpu, randomTensor, relativeError, runKernelOn, setUpBackends } from './helpers.js';

const RELATIVE_TOLERANCE = 1e-5;

const flagCombinations = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

/**
 * [m, k, n] of op(A)·op(B). The kernel picks between op(A)·op(B) and (op(B)ᵀ·op(A)ᵀ)ᵀ by size;
 * these shapes reach both: n ≫ m favours the transposed product, m ≫ n the direct one.
 */
const sizes: Array<[number, number, number]> = [
  [5, 7, 9],
  [3, 40, 70],
  [70, 40, 3],
  [1, 13, 1],
];

function operand(rows: number, cols: number, transposed: boolean, seed: number, batchAxes: number[]): tf.Tensor {
  return randomTensor([...batchAxes, ...(transposed ? [cols, rows] : [rows, cols])], seed);
}

describe('BatchMatMul on wasm matches the cpu backend', () => {
  beforeAll(setUpBackends);

  it.each(sizes.flatMap(([m, k, n]) => flagCombinations.map(([ta, tb]) => [`${m}×${k}×${n} transposeA ${ta} transposeB ${tb}`, m, k, n, ta, tb] as const)))(
    '%s',
    (_label, m, k, n, transposeA, transposeB) => {
      for (const batchAxes of [[], [1]]) {
        const a = operand(m, k, transposeA, 1, batchAxes);
        const b = operand(k, n, transposeB, 2, batchAxes);
        expectKernelMatchesCpu('BatchMatMul', { a, b }, { transposeA, transposeB }, RELATIVE_TOLERANCE);
        tf.dispose([a, b]);
      }
    },
  );

  it('gives the same product when the right operand comes again (its packed operator is then reused)', () => {
    const a = randomTensor([3, 40], 1);
    const b = randomTensor([40, 70], 2);
    const reference = runKernelOn('cpu', 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
    for (let call = 0; call < 2; call++) {
      const actual = runKernelOn('wasm', 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
      expect(relativeError(actual.values, reference.values), `call ${call}`).toBeLessThan(RELATIVE_TOLERANCE);
    }
    tf.dispose([a, b]);
  });

  it('keeps batched products on the stock kernel, with correct results', () => {
    const a = randomTensor([3, 4, 5], 1);
    const b = randomTensor([3, 6, 5], 2);
    expectKernelMatchesCpu('BatchMatMul', { a, b }, { transposeA: false, transposeB: true }, RELATIVE_TOLERANCE);
    tf.dispose([a, b]);
  });
});

describe('_FusedMatMul on wasm matches the cpu backend', () => {
  beforeAll(setUpBackends);

  it.each(flagCombinations.map(([ta, tb]) => [`transposeA ${ta} transposeB ${tb}`, ta, tb] as const))('with bias and relu, %s', (_label, transposeA, transposeB) => {
    const a = operand(6, 11, transposeA, 1, [1]);
    const b = operand(11, 8, transposeB, 2, [1]);
    const bias = randomTensor([8], 3);
    expectKernelMatchesCpu('_FusedMatMul', { a, b, bias }, { transposeA, transposeB, activation: 'relu' }, RELATIVE_TOLERANCE);
    tf.dispose([a, b, bias]);
  });
});
