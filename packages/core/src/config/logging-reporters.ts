import type { LoggingConfig, NamedComponentConfig } from './schema.js';

/**
 * A `logging:` section as the `reporters:` entries it stands for: each key names a reporter
 * (`logging.tensorboard: DIR` is `{name: tensorboard, dir: DIR}`), with the MLflow experiment, the W&B project and the run name
 * passed to the reporters that take them), in the order tensorboard, mlflow, wandb.
 */
export function loggingReporters(logging: LoggingConfig | undefined): NamedComponentConfig[] {
  if (!logging) return [];
  const runName = logging.runName === undefined ? {} : { runName: logging.runName };
  const entries: NamedComponentConfig[] = [];
  if (logging.tensorboard) entries.push({ name: 'tensorboard', dir: logging.tensorboard, ...runName });
  if (logging.mlflow) entries.push({ name: 'mlflow', dir: logging.mlflow, ...(logging.experiment ? { experiment: logging.experiment } : {}), ...runName });
  if (logging.wandb) entries.push({ name: 'wandb', dir: logging.wandb, ...(logging.project ? { project: logging.project } : {}), ...runName });
  return entries;
}
