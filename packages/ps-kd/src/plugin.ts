import { defineRegularizerPlugin, regularizerModule, z } from '@selfkd/core';
import { PsKdRegularizer } from './ps-kd-regularizer.js';

export const psKdOptions = z.strictObject({
  /** α_T: the weight of the past predictions in the last epoch (α grows linearly to it). */
  alphaT: z.number().min(0).max(1).default(0.8),
});

export type PsKdOptions = z.infer<typeof psKdOptions>;

/** A target transform only: it contributes no loss term, so its weight is unused. */
export const plugin = defineRegularizerPlugin<PsKdOptions>({
  type: 'ps-kd',
  description: 'PS-KD: targets (1 − α_t)·onehot(y) + α_t·(last epoch\'s prediction), α_t = α_T·(epoch+1)/E (Kim et al. 2021)',
  options: psKdOptions,
  defaultWeight: () => 1,
  create: ({ alphaT, weight, name }) => new PsKdRegularizer(name, weight, alphaT),
});

export const module = regularizerModule(plugin);
