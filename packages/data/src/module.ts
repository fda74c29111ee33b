import { pluginModule } from '@selfkd/core';
import { datasetCatalog } from './catalog.js';

/** The ContainerModule of this package: it contributes the MNIST, Fashion-MNIST and CIFAR datasets. */
export const module = pluginModule({ datasets: datasetCatalog });
