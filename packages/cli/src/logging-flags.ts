/**
 * `--tensorboard DIR`, `--mlflow DIR` and `--wandb DIR`: the same as the config's `logging:` keys
 * (each stands for the tracker reporter of that name), and they win over it.
 */
export interface LoggingFlags {
  tensorboard?: string;
  mlflow?: string;
  wandb?: string;
}

/** The raw config with the logging flags written into its `logging:` section (paths stay strings, unlike --set values). */
export function applyLoggingFlags(raw: unknown, flags: LoggingFlags): unknown {
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  if (Object.keys(given).length === 0 || raw === null || typeof raw !== 'object') return raw;
  const config = raw as Record<string, unknown>;
  const logging = config.logging !== null && typeof config.logging === 'object' ? config.logging : {};
  return { ...config, logging: { ...logging, ...given } };
}
