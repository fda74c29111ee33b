import type { SelfKdConfig } from './schema.js';

/**
 * The config-file form of a validated config: every default filled in, regularizer entries flat
 * (`{type, weight, name, ...options}`), so the result validates again to the same config and can
 * be saved next to a run, re-run, or resumed.
 */
export function toConfigFile(config: SelfKdConfig): Record<string, unknown> {
  const { regularizers, eval: evalSection, ...rest } = config;
  return {
    ...rest,
    regularizers: regularizers.map((r) => ({ type: r.type, ...r.options })),
    ...(evalSection === undefined ? {} : { eval: evalSection }),
  };
}
