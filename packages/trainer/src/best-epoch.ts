import * as tf from '@tensorflow/tfjs-core';
import type { SelectBy, SerializedState } from '@selfkd/core';
import type { ClassifierModel } from '@selfkd/models';
import type { SplitMetrics } from './evaluate.js';
import type { EpochRecord } from './reporter.js';

/** The epoch chosen on the validation split, with its metrics on validation and on test. */
export interface BestValidation {
  selectBy: SelectBy;
  /** 1-based. */
  epoch: number;
  validation: SplitMetrics;
  test: SplitMetrics;
}

/** Whether `candidate` beats `best` under `selectBy`; a tie is no improvement, so the earlier epoch stays. */
export function improves(selectBy: SelectBy, candidate: SplitMetrics, best: SplitMetrics): boolean {
  // A NaN NLL (a diverged model) loses to any number.
  if (selectBy === 'val-nll') return candidate.nll < best.nll || (Number.isNaN(best.nll) && !Number.isNaN(candidate.nll));
  return candidate.top1 > best.top1;
}

/**
 * Follows the best epoch on the validation split and keeps a copy of that epoch's weights (every
 * weight of the model, BatchNorm statistics included) in memory, so the checkpoint can carry them
 * and a resumed run knows exactly which epoch was best and can write its weights again.
 */
export class BestEpoch {
  private best?: { record: BestValidation; weights: (Float32Array | Int32Array)[] };

  constructor(private readonly selectBy: SelectBy) {}

  get current(): BestValidation | undefined {
    return this.best?.record;
  }

  /** Takes the epoch (and the model's current weights) when it is the first or beats the best so far. */
  async consider(record: EpochRecord, model: ClassifierModel): Promise<boolean> {
    if (!record.validation) throw new Error(`epoch ${record.epoch} has no validation metrics to select on`);
    if (this.best && !improves(this.selectBy, record.validation, this.best.record.validation)) return false;
    this.best = {
      record: { selectBy: this.selectBy, epoch: record.epoch, validation: { ...record.validation }, test: { ...record.test } },
      weights: await weightValues(model),
    };
    return true;
  }

  state(): SerializedState | undefined {
    if (!this.best) return undefined;
    const { record, weights } = this.best;
    return { ...record, validation: { ...record.validation }, test: { ...record.test }, weights: [...weights] };
  }

  load(saved: SerializedState | undefined): void {
    if (!saved) {
      this.best = undefined;
      return;
    }
    const { weights, ...record } = saved as unknown as BestValidation & { weights: (Float32Array | Int32Array)[] };
    if (record.selectBy !== this.selectBy) {
      throw new Error(`the checkpoint selected its best epoch by ${record.selectBy}, the config asks for ${this.selectBy}`);
    }
    this.best = { record, weights };
  }

  /** Runs `use` with the best epoch's weights in `model`, then puts the model's own weights back. */
  async withBestWeights<T>(model: ClassifierModel, use: () => Promise<T>): Promise<T> {
    if (!this.best) throw new Error('no epoch has been selected yet');
    const own = await weightValues(model);
    setWeights(model, this.best.weights);
    try {
      return await use();
    } finally {
      setWeights(model, own);
    }
  }
}

/** Copies of the model's weights: a backend may hand out the buffer it keeps for the variable. */
async function weightValues(model: ClassifierModel): Promise<(Float32Array | Int32Array)[]> {
  const values = await Promise.all(model.layersModel.getWeights().map((w) => w.data()));
  return values.map((v) => v.slice() as Float32Array | Int32Array);
}

function setWeights(model: ClassifierModel, values: readonly (Float32Array | Int32Array)[]): void {
  const weights = model.layersModel.getWeights();
  if (values.length !== weights.length) throw new Error(`the saved best weights are ${values.length} arrays, the model has ${weights.length} weights`);
  tf.tidy(() => model.layersModel.setWeights(weights.map((w, i) => tf.tensor(values[i]!, w.shape, w.dtype))));
}
