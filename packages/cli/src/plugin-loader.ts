import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@selfkd/core';
import type { ContainerModule } from 'inversify';
import { builtinPluginPackages, type PluginPackage } from './builtin-plugins.js';

/**
 * Imports the plugin packages a config lists under `plugins:` (resolved from the current directory,
 * like any dependency of the user's project, or as a path) and checks each exports `module`.
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
    let loaded: { module?: unknown };
    try {
      loaded = (await import(url)) as { module?: unknown };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ERR_MODULE_NOT_FOUND' ? `no such file or package (${e.message.split('\n')[0]})` : `importing it failed: ${e.name}: ${e.message.split('\n')[0]}`;
      throw new ConfigError([{ path: `plugins[${i}]`, value: name, message: why }]);
    }
    if (!isContainerModule(loaded.module)) {
      throw new ConfigError([{ path: `plugins[${i}]`, value: name, message: 'this package does not export `module`, an inversify ContainerModule, so it is not a selfkd plugin' }]);
    }
    packages.push({ module: loaded.module });
  }
  return packages;
}

/** Shape check rather than instanceof: a plugin may bring its own copy of inversify. */
function isContainerModule(value: unknown): value is ContainerModule {
  return typeof value === 'object' && value !== null && typeof (value as { load?: unknown }).load === 'function';
}
