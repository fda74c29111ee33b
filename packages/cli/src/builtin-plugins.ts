import type { ContainerModule } from 'inversify';
import type { RegularizerPlugin } from '@selfkd/core';
import * as csKd from '@selfkd/cs-kd';
import * as labelSmoothing from '@selfkd/label-smoothing';
import * as psKd from '@selfkd/ps-kd';
import * as sdDropout from '@selfkd/sd-dropout';

/** What a regularizer package exports; the built-ins are loaded exactly like a third-party package. */
export interface PluginPackage {
  plugin: RegularizerPlugin<object>;
  module: ContainerModule;
}

export const builtinPluginPackages: Record<string, PluginPackage> = {
  '@selfkd/label-smoothing': labelSmoothing as unknown as PluginPackage,
  '@selfkd/sd-dropout': sdDropout as unknown as PluginPackage,
  '@selfkd/cs-kd': csKd as unknown as PluginPackage,
  '@selfkd/ps-kd': psKd as unknown as PluginPackage,
};
