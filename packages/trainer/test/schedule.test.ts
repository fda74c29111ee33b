import { describe, expect, it } from 'vitest';
import type { ScheduleConfig } from '@selfkd/core';
import { learningRateAt } from '../src/schedule.js';

describe('learningRateAt', () => {
  it('constant, with linear warmup', () => {
    const s = { name: 'constant', warmupEpochs: 2 } as const;
    expect([0, 1, 2, 9].map((e) => learningRateAt(s, 0.1, e, 10))).toEqual([0.05, 0.1, 0.1, 0.1]);
  });

  it('multistep multiplies by gamma at each milestone reached', () => {
    const s: ScheduleConfig = { name: 'multistep', milestones: [3, 6], gamma: 0.1, warmupEpochs: 0 };
    const lrs = [0, 2, 3, 5, 6, 9].map((e) => learningRateAt(s, 0.1, e, 10));
    [0.1, 0.1, 0.01, 0.01, 0.001, 0.001].forEach((v, i) => expect(lrs[i]).toBeCloseTo(v, 12));
  });

  it('cosine goes from the base rate to minLr over the epochs after warmup', () => {
    const s = { name: 'cosine', minLr: 0, warmupEpochs: 0 } as const;
    expect(learningRateAt(s, 0.1, 0, 4)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(s, 0.1, 2, 4)).toBeCloseTo(0.05, 12); // cos(π/2) = 0 → halfway
    expect(learningRateAt(s, 0.1, 1, 4)).toBeCloseTo(0.05 * (1 + Math.cos(Math.PI / 4)), 12);
    const warm = { name: 'cosine', minLr: 0.01, warmupEpochs: 1 } as const;
    expect(learningRateAt(warm, 0.1, 0, 5)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(warm, 0.1, 1, 5)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(warm, 0.1, 3, 5)).toBeCloseTo(0.01 + 0.09 * 0.5, 12);
  });
});
