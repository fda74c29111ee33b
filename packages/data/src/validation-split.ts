import { Rng } from '@selfkd/core';
import { DatasetError } from './errors.js';
import { apportion, complementRows, selectRows, stratifiedSample } from './stratify.js';
import type { ImageSplit } from './types.js';

/** What `data.validation` asks for, and what carving it needs to know about the dataset. */
export interface ValidationRequest {
  /** A fraction of the training images in (0, 0.5], or a whole number of images. */
  validation: number;
  /** The run's seed: each seed holds out its own validation images. */
  seed: number;
  classNames: readonly string[];
  pixelsPerImage: number;
}

/**
 * Splits the training images into a held-out validation split and what is left to train on. The
 * validation rows are a stratified sample (each class its largest-remainder share) drawn with a
 * generator derived from the run's seed; both splits keep the training split's row order.
 */
export function carveValidation(train: ImageSplit, request: ValidationRequest): { train: ImageSplit; validation: ImageSplit } {
  const size = validationSize(request.validation, train.size);
  const numClasses = request.classNames.length;
  const counts = new Array<number>(numClasses).fill(0);
  train.labels.forEach((label) => (counts[label]! += 1));
  const quotas = apportion(counts, size);
  const emptied = quotas.findIndex((q, k) => counts[k]! > 0 && q === counts[k]);
  if (emptied >= 0) {
    throw new DatasetError(
      `data.validation: ${request.validation} would hold out every training image of class "${request.classNames[emptied]}" ` +
        `(it has ${counts[emptied]}), leaving none to train on; allowed: a smaller data.validation, or a larger data.trainSize`,
    );
  }
  const rows = stratifiedSample(train.labels, numClasses, size, Rng.derive(request.seed, 'validation-split'));
  return {
    train: selectRows(train, complementRows(train.size, rows), request.pixelsPerImage),
    validation: selectRows(train, rows, request.pixelsPerImage),
  };
}

/** The number of validation images `validation` means for `trainSize` training images. */
function validationSize(validation: number, trainSize: number): number {
  const most = Math.floor(trainSize / 2);
  if (Number.isInteger(validation)) {
    if (validation > most) {
      throw new DatasetError(
        `data.validation: ${validation} images exceeds half of the ${trainSize} training images; allowed: 1..${most}, or a fraction in (0, 0.5]`,
      );
    }
    return validation;
  }
  const size = Math.round(validation * trainSize);
  if (size < 1) {
    throw new DatasetError(
      `data.validation: ${validation} of ${trainSize} training images rounds to 0 images; allowed: a fraction of at least ${1 / trainSize}, or a whole number of images`,
    );
  }
  return size;
}
