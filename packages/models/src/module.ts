import { pluginModule } from '@selfkd/core';
import { modelCatalog } from './catalog.js';

/** The ContainerModule of this package: it contributes the mlp, cnn and resnet18 architectures. */
export const module = pluginModule({ models: modelCatalog });
