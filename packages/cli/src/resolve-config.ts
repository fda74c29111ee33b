import { applyOverrides, PluginRegistry, pluginContainer, readConfigFile, validateConfig, z, type ConfigCatalog, type SelfKdConfig } from '@selfkd/core';
import { evalConfigSchemaOf, type EvalSuite, type SuiteContext } from '@selfkd/eval';
import { builtinComponentModules } from '@selfkd/trainer';
import type { ContainerModule } from 'inversify';
import { loadPluginPackages } from './plugin-loader.js';

export interface LoadedPlugins {
  catalog: ConfigCatalog;
  /** The plugin packages' modules, built-ins first. */
  modules: ContainerModule[];
  /** Every loaded evaluation suite, in loading order: what `eval.suite` may name and `all` runs. */
  evalSuites: EvalSuite[];
}

export interface ResolvedRun extends LoadedPlugins {
  config: SelfKdConfig;
}

/** Everything a config may name, given the plugin packages it asks for; the `eval:` schema comes from the loaded suites. */
export async function buildCatalog(pluginNames: readonly string[] = []): Promise<LoadedPlugins> {
  const modules = (await loadPluginPackages(pluginNames)).map((p) => p.module);
  const registry = new PluginRegistry(pluginContainer([...builtinComponentModules, ...modules]));
  const evalSuites = registry.evalSuites<SuiteContext>();
  return { catalog: registry.catalog(evalConfigSchemaOf(evalSuites)), modules, evalSuites };
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
  const plugins = await buildCatalog(pluginNames.success ? (pluginNames.data.plugins ?? []) : []);
  return { ...plugins, config: validateConfig(raw, plugins.catalog, source) };
}
