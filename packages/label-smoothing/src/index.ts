export { smoothLabels } from './smooth-labels.js';
export { plugin, module, labelSmoothingOptions, type LabelSmoothingOptions } from './plugin.js';
