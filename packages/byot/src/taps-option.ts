import { z } from '@selfkd/core';

/** The option naming the model taps that get a branch, e.g. `[block1]` (cnn), `[stage2, stage3]` (resnet18). */
export const tapsOption = z
  .array(z.string().min(1))
  .min(1)
  .refine((taps) => new Set(taps).size === taps.length, { message: 'each tap may get one branch only; remove the repeated names' });
