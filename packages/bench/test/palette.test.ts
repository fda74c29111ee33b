import { describe, expect, it } from 'vitest';
import { PALETTE, seriesStyle } from '../src/report/palette.js';

/** sRGB hex → CIELAB (D65), from the CIE definitions. */
function lab(hex: string): [number, number, number] {
  const linear = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const [r, g, b] = linear;
  const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
  const [fx, fy, fz] = xyz.map((t) => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29)) as [number, number, number];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

const deltaE = (a: string, b: string): number => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]!));

describe('series palette', () => {
  it('converts to CIELAB as published (pure red is L 53.24, a 80.09, b 67.20)', () => {
    const [l, a, b] = lab('#ff0000');
    expect(l).toBeCloseTo(53.24, 1);
    expect(a).toBeCloseTo(80.09, 1);
    expect(b).toBeCloseTo(67.2, 1);
  });

  it('has twelve colours, every pair at least 25 ΔE apart and each at least 30 from the white page', () => {
    expect(PALETTE).toHaveLength(12);
    for (let i = 0; i < PALETTE.length; i++) {
      expect(deltaE(PALETTE[i]!, '#ffffff'), PALETTE[i]).toBeGreaterThanOrEqual(30);
      for (let j = i + 1; j < PALETTE.length; j++) expect(deltaE(PALETTE[i]!, PALETTE[j]!), `${PALETTE[i]} vs ${PALETTE[j]}`).toBeGreaterThanOrEqual(25);
    }
  });

  it('draws 48 series each in its own colour, dash and marker combination, the first twelve solid circles', () => {
    const styles = Array.from({ length: 48 }, (_, i) => seriesStyle(i));
    expect(new Set(styles.map((s) => `${s.color} ${s.dash} ${s.marker}`)).size).toBe(48);
    expect(new Set(styles.slice(0, 12).map((s) => s.color)).size).toBe(12);
    expect(styles.slice(0, 12).every((s) => s.dash === '' && s.marker === 'circle')).toBe(true);
    // Series 1 and 13 share a colour and differ in line and point.
    expect(styles[12]).toMatchObject({ color: styles[0]!.color });
    expect(styles[12]!.dash).not.toBe(styles[0]!.dash);
    expect(styles[12]!.marker).not.toBe(styles[0]!.marker);
  });
});
