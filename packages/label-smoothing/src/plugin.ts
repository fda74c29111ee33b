import { defineRegularizerPlugin, regularizerModule, z, type Regularizer } from '@selfkd/core';
import { smoothLabels } from './smooth-labels.js';

export const labelSmoothingOptions = z.strictObject({
  /** Probability mass spread uniformly over all K classes. */
  epsilon: z.number().min(0).max(1).default(0.1),
});

export type LabelSmoothingOptions = z.infer<typeof labelSmoothingOptions>;

/** A target transform only: it contributes no loss term, so its weight is unused. */
export const plugin = defineRegularizerPlugin<LabelSmoothingOptions>({
  type: 'label-smoothing',
  description: 'Label smoothing: target (1 − ε)·onehot(y) + ε/K (Szegedy et al. 2016)',
  options: labelSmoothingOptions,
  defaultWeight: () => 1,
  create: ({ epsilon, weight, name }): Regularizer => ({
    type: 'label-smoothing',
    name,
    weight,
    transformTarget: (target) => smoothLabels(target, epsilon),
  }),
});

export const module = regularizerModule(plugin);
