/**
 * Every finite number in a nested record as [`a/b/c`, value], in key order: the per-epoch record,
 * the evaluation report. Keys naming a list index keep it (`reliability/3/count`).
 */
export function numericLeaves(value: unknown, separator = '/', prefix = ''): [string, number][] {
  if (typeof value === 'number') return Number.isFinite(value) && prefix ? [[prefix, value]] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => numericLeaves(inner, separator, prefix ? `${prefix}${separator}${key}` : key));
}

/**
 * A config as flat `a.b.c` → string pairs (MLflow params); lists of plain values stay one JSON
 * value (`milestones` → `[5,8]`), lists of objects are numbered (`regularizers.0.type`).
 */
export function flatParams(value: unknown, prefix = ''): [string, string][] {
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
    return value.flatMap((inner, i) => flatParams(inner, prefix ? `${prefix}.${i}` : String(i)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => flatParams(inner, prefix ? `${prefix}.${key}` : key));
  }
  if (value === undefined || !prefix) return [];
  return [[prefix, typeof value === 'string' ? value : JSON.stringify(value)]];
}

/** An evaluation report's metrics, without the reliability-diagram bins (drawn as an image instead). */
export function evaluationMetrics(report: unknown): [string, number][] {
  return numericLeaves(report).filter(([key]) => !/(^|\/)reliability\//.test(key));
}
