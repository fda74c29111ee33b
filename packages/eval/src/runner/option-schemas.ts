import { z } from '@selfkd/core';

/**
 * Option schemas several suites share. `maxImages: null` means the whole test set; smaller caps
 * take a seeded random subset (the same one across suites for the same cap).
 */
export const maxImagesOption = z.number().int().min(1).nullable();

/** An L∞ radius in pixel units of [0, 1]. */
export const epsilonOption = z.number().finite().min(0, 'ε must be ≥ 0 (an L∞ radius in pixel units of [0, 1])');
