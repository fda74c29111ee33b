export type { ModelSpec } from './spec.js';
export { FEATURES_LAYER, HEAD_LAYER, type ClassifierModel } from './classifier.js';
export { createModel, modelCatalog } from './catalog.js';
export { loadModel } from './load.js';
export { fileLoadHandler, fileSaveHandler } from './file-io.js';
export { module } from './module.js';
export { classifierFromLayersModel, type WrapOptions } from './wrap.js';
export { modelCost, type ModelCost } from './model-cost.js';
