import { getGradient, registerGradient } from '@tensorflow/tfjs-core';
import { LOSS_GRADIENTS } from './loss-gradients.js';

/**
 * tfjs-core's Node build registers no gradients, and the files that do (its `dist/gradients`) are
 * extensionless ESM that Node cannot load; the @tensorflow/tfjs and @tensorflow/tfjs-layers Node
 * bundles register all of them. Core registers its own for the kernels its loss math uses, and only
 * where none is registered yet, so that tfjs's gradients win whenever tfjs or tfjs-layers is loaded
 * (before or after core: a later tfjs registration silently replaces these).
 */
export function registerLossGradients(): void {
  for (const config of LOSS_GRADIENTS) {
    if (getGradient(config.kernelName) === undefined) registerGradient(config);
  }
}

registerLossGradients();
