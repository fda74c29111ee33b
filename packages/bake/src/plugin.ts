import { defineRegularizerPlugin, regularizerModule, z, type Regularizer } from '@selfkd/core';
import { bakeLoss } from './bake-loss.js';
import { IntraClassSampler } from './intra-class-sampler.js';
import { knowledgeEnsemble } from './knowledge-ensemble.js';

/** Defaults of the authors' scripts (yxgeee/BAKE `train_bake.sh`, and Self-KD-Lib's main.py). */
export const bakeOptions = z.strictObject({
  /** Softmax temperature `T` of the predictions that are ensembled and of the KL (scaled by T²). */
  temperature: z.number().finite().positive().default(4),
  /** Ensembling weight ω of the propagation `(1 − ω)(I − ωA)⁻¹`. */
  omega: z.number().min(0).lt(1).default(0.5),
  /** M: other samples of each original's class added to the batch by the sampler. */
  intraImages: z.number().int().nonnegative().default(3),
});

export type BakeOptions = z.infer<typeof bakeOptions>;

export const plugin = defineRegularizerPlugin<BakeOptions>({
  type: 'bake',
  description: "BAKE: distil each sample's predictions towards the batch's affinity-propagated ensemble of predictions, with M same-class samples per original in every batch (Ge et al. 2021)",
  options: bakeOptions,
  ownsSampler: true,
  defaultWeight: () => 1,
  create: ({ temperature, omega, intraImages, weight, name }): Regularizer => ({
    type: 'bake',
    name,
    weight,
    createSampler: (request) => new IntraClassSampler(request, intraImages),
    // The targets stay alive until the trainer's step ends: the backward pass reads them.
    loss: (ctx) => bakeLoss(ctx.logits, knowledgeEnsemble(ctx.features, ctx.logits, temperature, omega), temperature),
  }),
});

export const module = regularizerModule(plugin);
