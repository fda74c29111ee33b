import { applyOverrides, PluginRegistry, pluginContainer, readConfigFile, validateConfig, z, type ConfigCatalog, type SelfKdConfig } from '@selfkd/core';
import { evalConfigSchema } from '@selfkd/eval';
import { builtinComponentModules } from '@selfkd/trainer';
import type { ContainerModule } from 'inversify';
import { loadPluginPackages } from './plugin-loader.js';

export interface ResolvedRun {
  config: SelfKdConfig;
  modules: ContainerModule[];
  catalog: ConfigCatalog;
}

/** Everything a config may name, given the plugin packages it asks for. */
export async function buildCatalog(pluginNames: readonly string[] = []): Promise<{ catalog: ConfigCatalog; modules: ContainerModule[] }> {
  const modules = (await loadPluginPackages(pluginNames)).map((p) => p.module);
  const registry = new PluginRegistry(pluginContainer([...builtinComponentModules, ...modules]));
  return { catalog: registry.catalog(evalConfigSchema), modules };
}

/**
 * File → overrides → plugin packages → full validation. Everything that can be wrong with a
 * config is reported here, before a dataset is read or a model built.
 */
export async function resolveConfig(file: string, overrides: readonly string[] = []): Promise<ResolvedRun> {
  return resolveRawConfig(applyOverrides(readConfigFile(file), overrides), file);
}

export async function resolveRawConfig(raw: unknown, source = 'config'): Promise<ResolvedRun> {
  const pluginNames = z.object({ plugins: z.array(z.string()).optional() }).safeParse(raw);
  const { catalog, modules } = await buildCatalog(pluginNames.success ? (pluginNames.data.plugins ?? []) : []);
  return { config: validateConfig(raw, catalog, source), modules, catalog };
}
