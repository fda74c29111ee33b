import 'reflect-metadata';
import { Container, type ContainerModule } from 'inversify';
import { TOKENS, type PluginEnv, type RegularizerPlugin } from './plugin.js';
import type { Regularizer } from './regularizer.js';
import type { RegularizerSpec } from './config/schema.js';

/**
 * Builds the container a trainer resolves its regularizers from: every plugin module is
 * loaded first (inversify caches plans on the first `get`), then the validated specs decide
 * which plugins are instantiated, with which options, in config order.
 */
export function createRegularizerContainer(modules: readonly ContainerModule[], specs: readonly RegularizerSpec[] = []): Container {
  const container = new Container();
  container.load(...modules);
  container.bind<readonly RegularizerSpec[]>(TOKENS.RegularizerSpecs).toConstantValue(specs);
  container
    .bind<Regularizer[]>(TOKENS.Regularizers)
    .toDynamicValue((ctx) => {
      const plugins = pluginsByType(ctx.getAll<RegularizerPlugin<object>>(TOKENS.RegularizerPlugin, { optional: true }) ?? []);
      const env: PluginEnv = { types: specs.map((s) => s.type) };
      return specs.map((spec) => {
        const plugin = plugins.get(spec.type);
        if (!plugin) throw new Error(`no plugin is loaded for regularizer type "${spec.type}"`);
        return plugin.create(spec.options as object & { weight: number; name: string }, env);
      });
    })
    .inSingletonScope();
  return container;
}

/** All plugins bound in the container, by type; a type bound twice is an error. */
export function registeredPlugins(container: Container): RegularizerPlugin<object>[] {
  return [...pluginsByType(container.getAll<RegularizerPlugin<object>>(TOKENS.RegularizerPlugin, { optional: true }) ?? []).values()];
}

function pluginsByType(plugins: readonly RegularizerPlugin<object>[]): Map<string, RegularizerPlugin<object>> {
  const byType = new Map<string, RegularizerPlugin<object>>();
  for (const plugin of plugins) {
    if (byType.has(plugin.type)) throw new Error(`two plugins register the regularizer type "${plugin.type}"`);
    byType.set(plugin.type, plugin);
  }
  return byType;
}
