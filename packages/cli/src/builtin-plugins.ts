import type { ContainerModule } from 'inversify';
import * as bake from '@selfkd/bake';
import * as byot from '@selfkd/byot';
import * as csKd from '@selfkd/cs-kd';
import * as ddgsd from '@selfkd/ddgsd';
import * as dks from '@selfkd/dks';
import * as frskd from '@selfkd/frskd';
import * as dlb from '@selfkd/dlb';
import * as evaluation from '@selfkd/eval';
import * as labelSmoothing from '@selfkd/label-smoothing';
import * as mixing from '@selfkd/mixing';
import * as psKd from '@selfkd/ps-kd';
import * as sdDropout from '@selfkd/sd-dropout';
import * as tfKdReg from '@selfkd/tf-kd-reg';
import * as tracking from '@selfkd/tracking';
import * as tfKdSelf from '@selfkd/tf-kd-self';

/** What a plugin package exports: one ContainerModule binding everything it contributes. */
export interface PluginPackage {
  module: ContainerModule;
}

/** The built-ins, loaded exactly like a third-party package. */
export const builtinPluginPackages: Record<string, PluginPackage> = {
  '@selfkd/label-smoothing': labelSmoothing,
  '@selfkd/sd-dropout': sdDropout,
  '@selfkd/cs-kd': csKd,
  '@selfkd/ps-kd': psKd,
  '@selfkd/mixing': mixing,
  '@selfkd/tf-kd-reg': tfKdReg,
  '@selfkd/bake': bake,
  '@selfkd/dlb': dlb,
  '@selfkd/ddgsd': ddgsd,
  '@selfkd/tracking': tracking,
  '@selfkd/eval': evaluation,
  '@selfkd/tf-kd-self': tfKdSelf,
  '@selfkd/frskd': frskd,
  '@selfkd/byot': byot,
  '@selfkd/dks': dks,
};
