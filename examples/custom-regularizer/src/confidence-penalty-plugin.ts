import { defineRegularizerPlugin, z, type Regularizer } from '@selfkd/core';
import { confidencePenalty } from './confidence-penalty.js';

export const confidencePenaltyOptions = z.strictObject({
  /** Γ of the hinge form in nats; leave it out for the plain penalty −H. */
  threshold: z.number().finite().min(0).optional(),
});

export type ConfidencePenaltyOptions = z.infer<typeof confidencePenaltyOptions>;

/** β in the paper; 0.1 is within the range it reports for image classification. */
export const DEFAULT_BETA = 0.1;

export const confidencePenaltyPlugin = defineRegularizerPlugin<ConfidencePenaltyOptions>({
  type: 'confidence-penalty',
  description: 'Confidence penalty: −β·H(σ(z)), or β·max(0, Γ − H) with a threshold (Pereyra et al. 2017)',
  options: confidencePenaltyOptions,
  defaultWeight: () => DEFAULT_BETA,
  create: ({ threshold, weight, name }): Regularizer => ({
    type: 'confidence-penalty',
    name,
    weight,
    loss: (ctx) => confidencePenalty(ctx.logits, threshold),
  }),
});
