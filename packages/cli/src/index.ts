export { main } from './main.js';
export { resolveConfig, resolveRawConfig, buildCatalog, type LoadedPlugins, type ResolvedRun } from './resolve-config.js';
export { loadPluginPackages } from './plugin-loader.js';
export { builtinPluginPackages, type PluginPackage } from './builtin-plugins.js';
