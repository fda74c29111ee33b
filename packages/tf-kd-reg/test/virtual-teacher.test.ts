import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { oneHotFloat } from '@selfkd/core';
import { tfKdRegLoss, virtualTeacher } from '../src/index.js';

describe("Tf-KD-reg's virtual teacher", () => {
  it('puts correctProb on the true class and spreads the rest evenly (hand-computed)', () => {
    const rows = tf.tidy(() => virtualTeacher(oneHotFloat([1, 3], 5), 0.6).arraySync());
    expect(rows[0]!.map((v) => +v.toFixed(6))).toEqual([0.1, 0.6, 0.1, 0.1, 0.1]);
    expect(rows[1]!.map((v) => +v.toFixed(6))).toEqual([0.1, 0.1, 0.1, 0.6, 0.1]);
  });

  it('the KL term is 0 when the predictions are the softened teacher, and positive otherwise', () => {
    const params = { temperature: 2, correctProb: 0.9, multiplier: 100 };
    const [atTeacher, elsewhere] = tf.tidy(() => {
      const oneHot = oneHotFloat([0, 2], 3);
      const teacherLogits = tf.div(virtualTeacher(oneHot, 0.9), 2) as tf.Tensor2D;
      return [tfKdRegLoss(teacherLogits, oneHot, params).dataSync()[0]!, tfKdRegLoss(tf.zeros([2, 3]), oneHot, params).dataSync()[0]!];
    });
    expect(Math.abs(atTeacher)).toBeLessThan(1e-4);
    expect(elsewhere).toBeGreaterThan(0);
  });

  it('refuses options outside their range, naming them', () => {
    tf.tidy(() => {
      expect(() => virtualTeacher(tf.ones([2, 1]), 0.9)).toThrow('the virtual teacher needs at least 2 classes, got 1');
      expect(() => virtualTeacher(oneHotFloat([0], 2), 1.5)).toThrow('correctProb must be in [0, 1], got 1.5');
      expect(() => tfKdRegLoss(tf.zeros([1, 2]), oneHotFloat([0], 2), { temperature: 0, correctProb: 0.9, multiplier: 1 })).toThrow('temperature must be a positive number, got 0');
    });
  });
});
