import 'reflect-metadata';
import { Container, type ContainerModule } from 'inversify';
import type { ConfigCatalog } from '../config/catalog.js';
import type { RegularizerSpec } from '../config/schema.js';
import type { Regularizer } from '../regularizer.js';
import type { DatasetContribution, EvalSuiteContribution, ModelContribution, ReporterContribution } from './contributions.js';
import type { PluginEnv, RegularizerPlugin } from './regularizer-plugin.js';
import { TOKENS } from './tokens.js';

/** A container with the given plugin modules loaded (built-ins and third-party alike). */
export function pluginContainer(modules: readonly ContainerModule[]): Container {
  const container = new Container();
  container.load(...modules);
  return container;
}

/**
 * Binds the config's validated regularizer entries and the regularizers made from them, in config
 * order, by the plugins loaded into the container (load every module first: inversify caches its
 * plans on the first `get`).
 */
export function bindRegularizers(container: Container, specs: readonly RegularizerSpec[]): void {
  container.bind<readonly RegularizerSpec[]>(TOKENS.RegularizerSpecs).toConstantValue(specs);
  container
    .bind<Regularizer[]>(TOKENS.Regularizers)
    .toDynamicValue(() => {
      const registry = new PluginRegistry(container);
      const env: PluginEnv = { types: specs.map((s) => s.type) };
      return specs.map((spec) => registry.regularizer(spec.type).create(spec.options, env));
    })
    .inSingletonScope();
}

/** A container with the modules loaded and the given regularizer entries bound (`TOKENS.Regularizers`). */
export function createRegularizerContainer(modules: readonly ContainerModule[], specs: readonly RegularizerSpec[] = []): Container {
  const container = pluginContainer(modules);
  bindRegularizers(container, specs);
  return container;
}

/**
 * What the plugins loaded into a container contribute, by kind. Names are unique within a kind:
 * two contributions of one name are an error naming it.
 */
export class PluginRegistry {
  constructor(private readonly container: Container) {}

  regularizers(): RegularizerPlugin<object>[] {
    return uniqueByName(this.all<RegularizerPlugin<object>>(TOKENS.RegularizerPlugin), (p) => p.type, 'regularizer type');
  }

  models<Model = unknown, Spec = never>(): ModelContribution<Model, Spec>[] {
    return uniqueByName(this.all<ModelContribution<Model, Spec>>(TOKENS.ModelArchitecture), (m) => m.name, 'model architecture');
  }

  datasets<Data = unknown, LoadOptions = never>(): DatasetContribution<Data, LoadOptions>[] {
    return uniqueByName(this.all<DatasetContribution<Data, LoadOptions>>(TOKENS.Dataset), (d) => d.name, 'dataset');
  }

  reporters<Reporter = unknown, Run = never>(): ReporterContribution<Reporter, Run>[] {
    return uniqueByName(this.all<ReporterContribution<Reporter, Run>>(TOKENS.Reporter), (r) => r.name, 'reporter');
  }

  /** Evaluation suites in loading order (built-ins first when loaded first): the order `eval.suite: all` runs them. */
  evalSuites<Context = unknown>(): EvalSuiteContribution<Context>[] {
    return uniqueByName(this.all<EvalSuiteContribution<Context>>(TOKENS.EvalSuite), (s) => s.name, 'evaluation suite');
  }

  regularizer(type: string): RegularizerPlugin<object> {
    return named(this.regularizers(), (p) => p.type, type, 'regularizer type');
  }

  model<Model = unknown, Spec = never>(name: string): ModelContribution<Model, Spec> {
    return named(this.models<Model, Spec>(), (m) => m.name, name, 'model architecture');
  }

  dataset<Data = unknown, LoadOptions = never>(name: string): DatasetContribution<Data, LoadOptions> {
    return named(this.datasets<Data, LoadOptions>(), (d) => d.name, name, 'dataset');
  }

  reporter<Reporter = unknown, Run = never>(name: string): ReporterContribution<Reporter, Run> {
    return named(this.reporters<Reporter, Run>(), (r) => r.name, name, 'reporter');
  }

  evalSuite<Context = unknown>(name: string): EvalSuiteContribution<Context> {
    return named(this.evalSuites<Context>(), (s) => s.name, name, 'evaluation suite');
  }

  /** Everything a config may name, for `validateConfig`; the `eval:` schema comes from outside (see ConfigCatalog). */
  catalog(evalSchema?: ConfigCatalog['eval']): ConfigCatalog {
    return { plugins: this.regularizers(), models: this.models(), datasets: this.datasets(), reporters: this.reporters(), eval: evalSchema };
  }

  private all<T>(token: symbol): T[] {
    return this.container.getAll<T>(token, { optional: true }) ?? [];
  }
}

function uniqueByName<T>(items: readonly T[], nameOf: (item: T) => string, kind: string): T[] {
  const seen = new Set<string>();
  for (const item of items) {
    const name = nameOf(item);
    if (seen.has(name)) throw new Error(`two plugins contribute the ${kind} "${name}"`);
    seen.add(name);
  }
  return [...items];
}

function named<T>(items: readonly T[], nameOf: (item: T) => string, name: string, kind: string): T {
  const found = items.find((item) => nameOf(item) === name);
  if (!found) throw new Error(`no loaded plugin contributes the ${kind} "${name}"; loaded: ${items.map(nameOf).join(', ') || '(none)'}`);
  return found;
}
