import { pluginModule } from '@selfkd/core';
import { auxiliaryHeadPlugin } from './auxiliary-head-plugin.js';
import { confidencePenaltyPlugin } from './confidence-penalty-plugin.js';
import { mixupPlugin } from './mixup-plugin.js';
import { perClassSuite } from './per-class-suite.js';

/** The one ContainerModule this package contributes: three regularizers and an evaluation suite, loaded by `plugins:`. */
export const module = pluginModule({ regularizers: [confidencePenaltyPlugin, auxiliaryHeadPlugin, mixupPlugin], evalSuites: [perClassSuite] });
