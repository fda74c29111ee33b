import type { MetricValue } from '@selfkd/core';

/**
 * Readers for a report part read back from JSON (a result.json of another version, a hand-edited
 * file): whatever is not the expected shape reads as empty, so a suite's `metrics` leaves it out.
 */
type JsonObject = Record<string, unknown>;

export function objectOr(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function arrayOr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The entries whose value is a finite number, as metrics (a missing or malformed value is left out, never guessed). */
export function finiteMetrics(entries: Iterable<readonly [string, unknown]>): MetricValue[] {
  const metrics: MetricValue[] = [];
  for (const [name, value] of entries) if (typeof value === 'number' && Number.isFinite(value)) metrics.push({ name, value });
  return metrics;
}
