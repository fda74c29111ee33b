import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { makeBatch } from '@selfkd/data';
import { drawAugmentation, writeImage, type AugmentParams } from '../src/augment.js';
import { memoryDataset, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

// A 3×3 grey image, rows [10 20 30], [40 50 60], [70 80 90].
const IMAGE = Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90]);

function augmented(params: AugmentParams, image = IMAGE, shape: [number, number, number] = [3, 3, 1]): number[] {
  const out = new Float32Array(image.length);
  writeImage(image, 0, shape, params, out, 0);
  return Array.from(out, (v) => Math.round(v * 255));
}

describe('writeImage: pad-crop-flip on a tiny image, by hand', () => {
  it('shifts the crop window and zero-fills what falls in the padding', () => {
    expect(augmented({ dy: 0, dx: 0, flip: false })).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    // Window one row down: out[y][x] = in[y + 1][x].
    expect(augmented({ dy: 1, dx: 0, flip: false })).toEqual([40, 50, 60, 70, 80, 90, 0, 0, 0]);
    // Window one column left: out[y][x] = in[y][x − 1].
    expect(augmented({ dy: 0, dx: -1, flip: false })).toEqual([0, 10, 20, 0, 40, 50, 0, 70, 80]);
    expect(augmented({ dy: -2, dx: 2, flip: false })).toEqual([0, 0, 0, 0, 0, 0, 30, 0, 0]);
  });

  it('mirrors the cropped window left-right', () => {
    expect(augmented({ dy: 0, dx: 0, flip: true })).toEqual([30, 20, 10, 60, 50, 40, 90, 80, 70]);
    // Crop one column right ([20 30 0] …), then mirror ([0 30 20] …), as torchvision's RandomCrop then RandomHorizontalFlip.
    expect(augmented({ dy: 0, dx: 1, flip: true })).toEqual([0, 30, 20, 0, 60, 50, 0, 90, 80]);
  });

  it('keeps channels together', () => {
    // 1×2×2: pixel (0,0) = (1, 2), pixel (0,1) = (3, 4).
    expect(augmented({ dy: 0, dx: 0, flip: true }, Uint8Array.from([1, 2, 3, 4]), [1, 2, 2])).toEqual([3, 4, 1, 2]);
  });
});

describe('drawAugmentation', () => {
  it('is deterministic per seed and covers every offset and both flips', () => {
    const options = { cropPadding: 2, flip: true };
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 2000 }, () => drawAugmentation(rng, options));
    };
    const draws = draw(7);
    expect(draw(7)).toEqual(draws);
    expect(draw(8)).not.toEqual(draws);
    expect(new Set(draws.map((d) => d.dy))).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(new Set(draws.map((d) => d.dx))).toEqual(new Set([-2, -1, 0, 1, 2]));
    const flips = draws.filter((d) => d.flip).length;
    expect(flips).toBeGreaterThan(900);
    expect(flips).toBeLessThan(1100);
  });

  it('draws nothing when augmentation is off', () => {
    const rng = new Rng(3);
    const before = rng.state();
    expect(drawAugmentation(rng, { cropPadding: 0, flip: false })).toEqual({ dy: 0, dx: 0, flip: false });
    expect(rng.state()).toEqual(before);
  });
});

/** An independent reference: build the zero-padded image explicitly, cut the window, mirror it. */
function reference(image: number[][], pad: number, top: number, left: number, flip: boolean): number[] {
  const size = image.length;
  const padded = Array.from({ length: size + 2 * pad }, (_, i) =>
    Array.from({ length: size + 2 * pad }, (_, j) => image[i - pad]?.[j - pad] ?? 0),
  );
  const window = padded.slice(top, top + size).map((row) => row.slice(left, left + size));
  return (flip ? window.map((row) => [...row].reverse()) : window).flat();
}

describe('makeBatch with augmentation', () => {
  const side = 4;
  const images = [0, 1, 2].map((n) => Array.from({ length: side }, (_, y) => Array.from({ length: side }, (_, x) => 1 + n * 16 + y * side + x)));
  const dataset = memoryDataset([side, side, 1], images.flat(2), [0, 1, 2], { augment: { cropPadding: 1, flip: true } });
  const rows = Int32Array.from([2, 0, 2]);

  const batch = (seed: number) => {
    const t = makeBatch(dataset, 'train', rows, new Rng(seed));
    const values = Array.from(t.dataSync(), (v) => Math.round(v * 255));
    t.dispose();
    return values;
  };

  it('gives each sample one of the pad-crop-flip views of its own image, and all views occur', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const values = batch(seed);
      rows.forEach((row, i) => {
        const sample = values.slice(i * 16, (i + 1) * 16);
        const views: string[] = [];
        for (let top = 0; top <= 2; top++) {
          for (let left = 0; left <= 2; left++) {
            for (const flip of [false, true]) views.push(JSON.stringify(reference(images[row]!, 1, top, left, flip)));
          }
        }
        const match = views.indexOf(JSON.stringify(sample));
        expect(match).toBeGreaterThanOrEqual(0);
        seen.add(`${row}:${match}`);
      });
    }
    // 2 distinct rows × 18 views each.
    expect(seen.size).toBe(36);
  });

  it('is the same for the same seed and different for another', () => {
    expect(batch(11)).toEqual(batch(11));
    expect(batch(12)).not.toEqual(batch(11));
  });

  it('leaves images untouched without a generator', () => {
    const t = makeBatch(dataset, 'train', rows);
    expect(Array.from(t.dataSync(), (v) => Math.round(v * 255))).toEqual([...images[2]!.flat(), ...images[0]!.flat(), ...images[2]!.flat()]);
    t.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });
});
