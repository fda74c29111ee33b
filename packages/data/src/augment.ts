import type { Rng } from '@selfkd/core';
import type { AugmentOptions } from './types.js';

/**
 * One sample's augmentation: the crop offset relative to the unpadded image (each in
 * [-cropPadding, cropPadding]) and whether the crop is mirrored left-right.
 */
export interface AugmentParams {
  dy: number;
  dx: number;
  flip: boolean;
}

export const IDENTITY: AugmentParams = { dy: 0, dx: 0, flip: false };

/**
 * Draws one sample's augmentation, in this order: crop row offset, crop column offset (only
 * when cropPadding > 0), flip (only when enabled). Same generator state → same draw.
 */
export function drawAugmentation(rng: Rng, options: AugmentOptions): AugmentParams {
  const pad = options.cropPadding;
  const dy = pad > 0 ? rng.int(2 * pad + 1) - pad : 0;
  const dx = pad > 0 ? rng.int(2 * pad + 1) - pad : 0;
  const flip = options.flip && rng.next() < 0.5;
  return { dy, dx, flip };
}

/**
 * Writes one image as floats in [0, 1] into `dst` at `dstOffset`, augmented by `params`:
 * zero-pad, crop at (dy, dx) — the torchvision RandomCrop(padding) view — then mirror, i.e.
 * out[y][x] = in[y + dy][x' + dx] with x' = W−1−x when flipped, and 0 outside the image.
 */
export function writeImage(
  src: Uint8Array,
  srcOffset: number,
  shape: readonly [number, number, number],
  params: AugmentParams,
  dst: Float32Array,
  dstOffset: number,
): void {
  const [height, width, channels] = shape;
  for (let y = 0; y < height; y++) {
    const sy = y + params.dy;
    for (let x = 0; x < width; x++) {
      const sx = (params.flip ? width - 1 - x : x) + params.dx;
      const out = dstOffset + (y * width + x) * channels;
      const inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
      const from = srcOffset + (sy * width + sx) * channels;
      for (let c = 0; c < channels; c++) dst[out + c] = inside ? src[from + c]! / 255 : 0;
    }
  }
}
