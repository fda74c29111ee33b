import { forEachSourceBatch } from './batches.js';
import { logitsArray, testImages, type SuiteContext, type TestLogits } from './context.js';
import { StageProgress } from './progress.js';

/** Logits of every test image, one forward pass per batch (what `SuiteContext.testLogits` computes once). */
export async function computeTestLogits(ctx: Omit<SuiteContext, 'testLogits'>): Promise<TestLogits> {
  const { source, labels } = testImages(ctx, null);
  const numClasses = ctx.model.numClasses;
  const logits = new Float32Array(source.size * numClasses);
  const progress = new StageProgress(ctx.onProgress, 'test set', source.size);
  await forEachSourceBatch(source, ctx.batchSize, async (pixels, start, count) => {
    logits.set(await logitsArray(ctx.logitsOf, pixels), start * numClasses);
    progress.advance(count);
  });
  return { logits, labels };
}
