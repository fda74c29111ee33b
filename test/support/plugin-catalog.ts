import { ConfigError, validateConfig, z, type ConfigCatalog, type RegularizerPlugin } from '@selfkd/core';

/** A catalog holding the given plugins and one placeholder model and dataset, for validating regularizer entries. */
export function pluginCatalog(plugins: readonly RegularizerPlugin<object>[]): ConfigCatalog {
  return {
    plugins,
    models: [{ name: 'mlp', description: 'any model', options: z.strictObject({}) }],
    datasets: [{ name: 'digits', description: 'any dataset', options: z.strictObject({}) }],
  };
}

/** A minimal raw training config around the given regularizer entries, valid against `pluginCatalog`. */
export function configWithRegularizers(regularizers: unknown[]) {
  return {
    data: { name: 'digits' },
    model: { name: 'mlp' },
    train: { epochs: 1, optimizer: { name: 'sgd', lr: 0.1 } },
    regularizers,
  };
}

/** The problems `validateConfig` reports for `raw`, one `path | value | message` line each; throws when it accepts `raw`. */
export function configIssues(raw: unknown, catalog: ConfigCatalog): string[] {
  try {
    validateConfig(raw, catalog);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.path} | ${JSON.stringify(i.value)} | ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}
