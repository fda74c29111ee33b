/**
 * PS-KD's schedule (Kim et al. 2021, lgcnsai/PS-KD-Pytorch `main.py`): `α_t = α_T · (epoch + 1) / E`
 * with epochs counted from 0 and `E` the total number of epochs, so the last epoch uses `α_T`.
 */
export function psKdAlpha(alphaT: number, epoch: number, totalEpochs: number): number {
  if (!(alphaT >= 0 && alphaT <= 1)) throw new RangeError(`alphaT must be in [0, 1], got ${alphaT}`);
  if (!Number.isInteger(totalEpochs) || totalEpochs < 1) throw new RangeError(`totalEpochs must be a positive integer, got ${totalEpochs}`);
  if (!Number.isInteger(epoch) || epoch < 0 || epoch >= totalEpochs) {
    throw new RangeError(`epoch must be an integer in [0, ${totalEpochs}) (counted from 0), got ${epoch}`);
  }
  return (alphaT * (epoch + 1)) / totalEpochs;
}
