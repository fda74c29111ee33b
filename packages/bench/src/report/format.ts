import type { Summary } from '../stats/summary.js';

/** Every metric is shown with 4 decimals (fractions and nats alike), the precision results.json is checked at. */
export const DECIMALS = 4;

export function formatNumber(value: number | null | undefined, signed = false): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '+∞' : value < 0 ? '−∞' : 'NaN';
  const text = value.toFixed(DECIMALS);
  return signed && value >= 0 ? `+${text}` : text;
}

/** `0.9123 ± 0.0041` (the ± part only with two or more seeds). */
export function formatMeanStd(summary: Summary | undefined, signed = false): string {
  if (!summary) return '–';
  const mean = formatNumber(summary.mean, signed);
  return summary.std === null ? mean : `${mean} ± ${formatNumber(summary.std)}`;
}

/** `[0.9072, 0.9174]`, or `–` with one seed. */
export function formatInterval(summary: Summary | undefined, signed = false): string {
  if (!summary || summary.ciLow === null || summary.ciHigh === null) return '–';
  return `[${formatNumber(summary.ciLow, signed)}, ${formatNumber(summary.ciHigh, signed)}]`;
}

export function formatPValue(p: number | null): string {
  if (p === null) return '–';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
