import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@selfkd/core';
import { builtinPluginPackages, type PluginPackage } from './builtin-plugins.js';

/**
 * Imports the plugin packages a config lists under `plugins:` (resolved from the current directory,
 * like any dependency of the user's project, or as a path) and checks each exports `plugin` and `module`.
 */
export async function loadPluginPackages(names: readonly string[], cwd = process.cwd()): Promise<PluginPackage[]> {
  const packages = [...Object.values(builtinPluginPackages)];
  const requireFromCwd = createRequire(join(cwd, 'selfkd-config.js'));
  for (const [i, name] of names.entries()) {
    if (name in builtinPluginPackages) continue;
    let url: string;
    try {
      const isPath = name.startsWith('.') || isAbsolute(name);
      url = pathToFileURL(isPath ? resolve(cwd, name) : requireFromCwd.resolve(name)).href;
    } catch {
      throw new ConfigError([{ path: `plugins[${i}]`, value: name, message: `cannot find this package from ${cwd}; install it (npm i ${name}) or give a path` }]);
    }
    let loaded: Partial<PluginPackage>;
    try {
      loaded = (await import(url)) as Partial<PluginPackage>;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ERR_MODULE_NOT_FOUND' ? `no such file or package (${e.message.split('\n')[0]})` : `importing it failed: ${e.name}: ${e.message.split('\n')[0]}`;
      throw new ConfigError([{ path: `plugins[${i}]`, value: name, message: why }]);
    }
    if (!loaded.plugin || !loaded.module) {
      throw new ConfigError([{ path: `plugins[${i}]`, value: name, message: 'this package does not export `plugin` and `module`, so it is not a selfkd regularizer plugin' }]);
    }
    packages.push(loaded as PluginPackage);
  }
  return packages;
}
