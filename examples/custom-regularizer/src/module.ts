import { regularizerModule } from '@selfkd/core';
import { auxiliaryHeadPlugin } from './auxiliary-head-plugin.js';
import { confidencePenaltyPlugin } from './confidence-penalty-plugin.js';
import { mixupPlugin } from './mixup-plugin.js';

/** The one ContainerModule this package contributes: three regularizers, loaded by `plugins:`. */
export const module = regularizerModule(confidencePenaltyPlugin, auxiliaryHeadPlugin, mixupPlugin);
