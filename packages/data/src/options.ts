import { z } from '@selfkd/core';
import type { DatasetDefinition } from './definition.js';
import type { AugmentOptions } from './types.js';

/** A dataset's options after validation, defaults filled in. */
export interface DatasetOptions {
  trainSize?: number;
  subsetSeed: number;
  /** Held-out validation images: a fraction of the training split in (0, 0.5], or a count. */
  validation?: number;
  augment: AugmentOptions;
  normalize: boolean;
  dataDir?: string;
}

/** The strict options schema of one dataset; augmentation defaults are the dataset's own. */
export function datasetOptionsSchema(definition: DatasetDefinition) {
  const [height, width] = definition.imageShape;
  const augment = z.strictObject({
    cropPadding: z
      .number()
      .int()
      .min(0)
      .max(Math.min(height, width))
      .default(definition.augment.cropPadding),
    flip: z.boolean().default(definition.augment.flip),
  });
  const shape = {
    trainSize: z.number().int().min(1).optional(),
    subsetSeed: z.number().int().min(0).default(0),
    // An absent `augment` takes the dataset's defaults; a partial one gets them field by field from `augment`.
    augment: augment.default(() => ({ ...definition.augment })),
    normalize: z.boolean().default(true),
    validation: z
      .number()
      .refine((v) => (Number.isInteger(v) && v >= 1) || (v > 0 && v <= 0.5), {
        message: 'expected a fraction of the training images in (0, 0.5] or a whole number of images ≥ 1',
      })
      .optional(),
  };
  return definition.fileBased ? z.strictObject({ ...shape, dataDir: z.string().min(1).optional() }) : z.strictObject(shape);
}
