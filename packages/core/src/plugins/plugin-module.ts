import { ContainerModule } from 'inversify';
import type { PluginContributions } from './contributions.js';
import type { RegularizerPlugin } from './regularizer-plugin.js';
import { TOKENS } from './tokens.js';

/**
 * The ContainerModule a plugin package exports: it binds each contribution under its kind's token,
 * so regularizers, models, datasets, reporters and evaluation suites are all found the same way (see PluginRegistry).
 */
export function pluginModule(contributions: PluginContributions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    for (const plugin of contributions.regularizers ?? []) bind(TOKENS.RegularizerPlugin).toConstantValue(plugin);
    for (const model of contributions.models ?? []) bind(TOKENS.ModelArchitecture).toConstantValue(model);
    for (const dataset of contributions.datasets ?? []) bind(TOKENS.Dataset).toConstantValue(dataset);
    for (const reporter of contributions.reporters ?? []) bind(TOKENS.Reporter).toConstantValue(reporter);
    for (const suite of contributions.evalSuites ?? []) bind(TOKENS.EvalSuite).toConstantValue(suite);
  });
}

/** Shorthand for a package that contributes regularizers only. */
export function regularizerModule<Options extends object[]>(...plugins: { [K in keyof Options]: RegularizerPlugin<Options[K]> }): ContainerModule {
  return pluginModule({ regularizers: plugins });
}
