import type * as tf from '@tensorflow/tfjs-core';
import type { ImageSource } from './image-source.js';

/** Calls `run(start, count)` for consecutive batches covering `size` items. */
export async function forEachBatch(size: number, batchSize: number, run: (start: number, count: number) => void | Promise<void>): Promise<void> {
  for (let start = 0; start < size; start += batchSize) {
    await run(start, Math.min(batchSize, size - start));
    // Yield to the event loop between batches so progress output and signals get through.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Runs `perBatch` over every batch of `source`, disposing each batch of pixels afterwards. */
export async function forEachSourceBatch(
  source: ImageSource,
  batchSize: number,
  perBatch: (pixels: tf.Tensor4D, start: number, count: number) => void | Promise<void>,
): Promise<void> {
  await forEachBatch(source.size, batchSize, async (start, count) => {
    const pixels = source.batch(start, count);
    try {
      await perBatch(pixels, start, count);
    } finally {
      pixels.dispose();
    }
  });
}
