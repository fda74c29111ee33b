import { z } from '@selfkd/core';
import type { DatasetDefinition } from './definition.js';
import type { AugmentOptions } from './types.js';

/** A dataset's options after validation, defaults filled in. */
export interface DatasetOptions {
  trainSize?: number;
  subsetSeed: number;
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
  };
  return definition.fileBased ? z.strictObject({ ...shape, dataDir: z.string().min(1).optional() }) : z.strictObject(shape);
}

/** The option names an object at `path` of the schema accepts, for "unknown option" messages. */
export function allowedKeys(schema: z.ZodObject, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  for (const key of path) {
    const object: z.ZodType | undefined = node && unwrap(node);
    node = object instanceof z.ZodObject ? (object.shape[String(key)] as z.ZodType | undefined) : undefined;
  }
  const object = node && unwrap(node);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}
