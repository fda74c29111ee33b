import { pluginModule } from '@selfkd/core';
import { builtinEvalSuites } from './suites/builtin-suites.js';

/** This package's ContainerModule: the built-in evaluation suites, loaded like any plugin package's. */
export const module = pluginModule({ evalSuites: builtinEvalSuites });
