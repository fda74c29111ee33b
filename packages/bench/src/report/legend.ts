import { escapeHtml } from './format.js';
import type { SeriesStyle } from './palette.js';
import { markerSvg } from './series-marker.js';

/** A chart's legend as HTML: wraps on narrow pages and fits any number of series and name lengths. */
export function legendHtml(series: readonly { name: string; style: SeriesStyle }[]): string {
  const items = series
    .map(({ name, style }) => {
      const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
      const swatch = `<svg width="28" height="12" viewBox="0 0 28 12" aria-hidden="true"><line x1="1" x2="27" y1="6" y2="6" stroke="${style.color}" stroke-width="2"${dash}/>${markerSvg(style, 14, 6, 3.5, {})}</svg>`;
      return `<li data-series="${escapeHtml(name)}" data-color="${style.color}" data-dash="${style.dash}" data-marker="${style.marker}">${swatch}${escapeHtml(name)}</li>`;
    })
    .join('');
  return `<ul class="legend">${items}</ul>`;
}
