/** A fraction as a percentage with two decimals; `-` for a missing (null or NaN) value. */
export function percent(value: number | null): string {
  return value === null || Number.isNaN(value) ? '-' : `${(100 * value).toFixed(2)}%`;
}
