import type * as tf from '@tensorflow/tfjs-core';
import { ConfigError, defineRegularizerPlugin, regularizerModule, z, type ModelDescription, type Regularizer } from '@selfkd/core';
import { frskdLoss } from './frskd-loss.js';
import { checkLevels, SelfTeacher } from './self-teacher.js';

/**
 * Defaults: the authors' CIFAR-100 setting (MingiJi/FRSKD, classification/README.md and main.py:
 * α 2, β 100, T 4, BiFPNc of width 2 and depth 2, one layer).
 */
export const frskdOptions = z.strictObject({
  /** Stage features the self-teacher reads, finest first; every image tap of the model when absent. */
  taps: z.array(z.string().min(1)).min(2).optional(),
  temperature: z.number().finite().positive().default(4),
  alpha: z.number().finite().nonnegative().default(2),
  beta: z.number().finite().nonnegative().default(100),
  width: z.number().int().positive().default(2),
  depth: z.number().int().positive().default(2),
});

export type FrskdOptions = z.infer<typeof frskdOptions>;

/** The taps the self-teacher reads: the configured ones, else every tap of image shape `[H, W, C]` in the model's order. */
function levelTaps(model: ModelDescription, taps: readonly string[] | undefined, field: string): string[] {
  const chosen = taps ? [...taps] : Object.keys(model.tapShapes).filter((t) => model.tapShapes[t]!.length === 3);
  const allowed = 'two or more image taps [H, W, C], each half the height and width of the one before (cnn: block1…blockN; resnet18: stage1…stage4)';
  try {
    checkLevels(chosen.map((t) => model.tapShapes[t] ?? []));
  } catch (err) {
    const shapes = Object.fromEntries(chosen.map((t) => [t, model.tapShapes[t]]));
    throw new ConfigError([{ path: field, value: taps ?? shapes, message: `${(err as Error).message}; allowed: ${allowed}` }]);
  }
  return chosen;
}

export const plugin = defineRegularizerPlugin<FrskdOptions>({
  type: 'frskd',
  description: 'FRSKD: a BiFPN self-teacher over the stage features, trained with its own CE, distilled into the model through logits (α·T²·KL) and attention maps (β) (Ji et al. 2021)',
  options: frskdOptions,
  exampleModel: { name: 'cnn', channels: [4, 8], dense: 16 },
  // The conformance problem has 15 steps, too few for the self-teacher to become a teacher; at the
  // defaults (α 2, β 100) the model is pulled toward an untrained one and stays near 20% there.
  exampleOptions: { alpha: 0.1, beta: 1 },
  defaultWeight: () => 1,
  taps: ({ taps }) => taps ?? [],
  create: ({ taps, temperature, alpha, beta, width, depth, weight, name }): Regularizer => {
    let teacher: SelfTeacher | undefined;
    let levels: string[] = [];
    return {
      type: 'frskd',
      name,
      weight,
      setup({ model, rng }) {
        levels = levelTaps(model, taps, `${name}.taps`);
        teacher?.dispose();
        teacher = new SelfTeacher(levels.map((t) => model.tapShapes[t]!), model.numClasses, { width, depth }, rng);
      },
      trainableVariables: () => teacher?.variables ?? [],
      loss: (ctx) => {
        if (!teacher) throw new Error(`${name}: the self-teacher is built in setup, which has not run`);
        const features = levels.map((t) => ctx.taps[t] as tf.Tensor4D);
        const out = teacher.apply(features);
        return frskdLoss({ logits: ctx.logits, features, teacherLogits: out.logits, teacherFeatures: out.features, target: ctx.oneHot }, { temperature, alpha, beta });
      },
      dispose() {
        teacher?.dispose();
        teacher = undefined;
      },
    };
  },
});

export const module = regularizerModule(plugin);
