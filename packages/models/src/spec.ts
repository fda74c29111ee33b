/** What a model is built for: the data's per-sample shape, its number of classes, and the init seed. */
export interface ModelSpec {
  /** Per sample, `[H, W, C]` (channels last). */
  inputShape: number[];
  numClasses: number;
  seed: number;
}

/** Throws an Error naming the field, the value and what is allowed, before any layer is built. */
export function checkModelSpec(spec: ModelSpec): void {
  const { inputShape, numClasses, seed } = spec;
  if (
    !Array.isArray(inputShape) ||
    inputShape.length !== 3 ||
    !inputShape.every((d) => Number.isInteger(d) && d > 0)
  ) {
    throw new Error(
      `ModelSpec.inputShape must be [H, W, C] with three positive integers (images, channels last), got ${JSON.stringify(inputShape)}`,
    );
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`ModelSpec.numClasses must be an integer ≥ 2, got ${JSON.stringify(numClasses)}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`ModelSpec.seed must be a non-negative integer, got ${JSON.stringify(seed)}`);
  }
}
