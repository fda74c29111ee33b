import { escapeHtml } from './format.js';
import type { SeriesStyle } from './palette.js';

/**
 * A point of a series in its marker shape, centred on (cx, cy) with about radius r. `attributes`
 * become the element's attributes, except `title`, which becomes its tooltip.
 */
export function markerSvg(style: SeriesStyle, cx: number, cy: number, r: number, attributes: Record<string, string>): string {
  const { title, ...rest } = attributes;
  const attrs = Object.entries(rest)
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
    .join('');
  const tooltip = title === undefined ? '' : `<title>${escapeHtml(title)}</title>`;
  const f = (v: number): string => v.toFixed(1);
  switch (style.marker) {
    case 'circle':
      return `<circle${attrs} cx="${f(cx)}" cy="${f(cy)}" r="${r}" fill="${style.color}">${tooltip}</circle>`;
    case 'square':
      return `<rect${attrs} x="${f(cx - r)}" y="${f(cy - r)}" width="${2 * r}" height="${2 * r}" fill="${style.color}">${tooltip}</rect>`;
    case 'triangle':
      return `<path${attrs} d="M${f(cx)},${f(cy - 1.2 * r)} L${f(cx + 1.1 * r)},${f(cy + 0.8 * r)} L${f(cx - 1.1 * r)},${f(cy + 0.8 * r)} Z" fill="${style.color}">${tooltip}</path>`;
    case 'diamond':
      return `<path${attrs} d="M${f(cx)},${f(cy - 1.3 * r)} L${f(cx + 1.3 * r)},${f(cy)} L${f(cx)},${f(cy + 1.3 * r)} L${f(cx - 1.3 * r)},${f(cy)} Z" fill="${style.color}">${tooltip}</path>`;
  }
}
