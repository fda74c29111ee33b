import { createHash } from 'node:crypto';

/**
 * JSON with every object's keys sorted, so two configs that differ only in key order (or in how a
 * YAML file was laid out) serialize, and hash, the same.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

/**
 * First 16 hex digits of the SHA-256 of the canonical JSON: a stable identity for a run config.
 * The `logging:` section is left out: where a run is recorded does not change what it computes,
 * so turning TensorBoard or MLflow on for a bench keeps its finished runs.
 */
export function configHash(config: unknown): string {
  return createHash('sha256').update(canonicalJson(withoutLogging(config))).digest('hex').slice(0, 16);
}

function withoutLogging(config: unknown): unknown {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return config;
  const { logging: _logging, ...identity } = config as Record<string, unknown>;
  return identity;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
