import { regularizerModule } from '@selfkd/core';
import { cutMixPlugin } from './cutmix-plugin.js';
import { mixupPlugin } from './mixup-plugin.js';

export { sampleBeta, sampleGamma } from './beta-distribution.js';
export { mixTargets, type BatchMixing } from './mix-targets.js';
export { drawMixup, mixupInputs } from './mixup.js';
export { cutBox, cutMixInputs, cutMixing, drawCutMix, type CutBox, type CutMixing } from './cutmix.js';
export { mixupPlugin, mixupOptions, type MixupOptions } from './mixup-plugin.js';
export { cutMixPlugin, cutMixOptions, type CutMixOptions } from './cutmix-plugin.js';

/** Both regularizers of this package, `mixup` and `cutmix`, in one ContainerModule. */
export const module = regularizerModule(mixupPlugin, cutMixPlugin);
