import { describe, expect, it } from 'vitest';
import { clipInterval, differenceRange, metricRange } from '../src/report/metric-range.js';

describe('metric ranges and clipped intervals', () => {
  it('knows the range of every built-in metric, bestVal. like its test metric, others unbounded', () => {
    for (const name of ['top1', 'top5', 'ece', 'ecePsKd', 'mce', 'pgd', 'fgsm.eps=0.05', 'fgsm.clean', 'ood.svhn.msp.auroc', 'ood.svhn.energy.fprAt95Tpr', 'shift.mean', 'shift.rotate.s3', 'bestVal.top1']) {
      expect(metricRange(name), name).toEqual([0, 1]);
    }
    expect(metricRange('nll')).toEqual([0, Infinity]);
    expect(metricRange('bestVal.nll')).toEqual([0, Infinity]);
    expect(metricRange('brier')).toEqual([0, 2]);
    expect(metricRange('confident.share')).toEqual([-Infinity, Infinity]);
    expect(metricRange('top1x')).toEqual([-Infinity, Infinity]);
  });

  it('cuts a t-interval at the ends of the range and keeps what lies inside', () => {
    // 3 seeds at 0.99, 0.995, 1: mean 0.995, t interval 0.995 ± 4.303·0.005/√3 = [0.98258, 1.00742].
    const summary = { n: 3, mean: 0.995, std: 0.005, ciLow: 0.995 - (4.3027 * 0.005) / Math.sqrt(3), ciHigh: 0.995 + (4.3027 * 0.005) / Math.sqrt(3) };
    const clipped = clipInterval(summary, metricRange('top1'));
    expect(clipped).toEqual({ ...summary, ciHigh: 1 });
    expect(clipInterval({ ciLow: -0.02, ciHigh: 0.05 }, metricRange('ece'))).toEqual({ ciLow: 0, ciHigh: 0.05 });
    expect(clipInterval({ ciLow: -0.02, ciHigh: 0.05 }, metricRange('confident.share'))).toEqual({ ciLow: -0.02, ciHigh: 0.05 });
    expect(clipInterval({ ciLow: null, ciHigh: null }, metricRange('top1'))).toEqual({ ciLow: null, ciHigh: null });
  });

  it('clips a difference from the baseline to what two values of the metric can differ by', () => {
    expect(differenceRange(metricRange('top1'))).toEqual([-1, 1]);
    expect(differenceRange(metricRange('brier'))).toEqual([-2, 2]);
    expect(clipInterval({ ciLow: -1.3, ciHigh: 0.4 }, differenceRange(metricRange('top1')))).toEqual({ ciLow: -1, ciHigh: 0.4 });
    expect(differenceRange(metricRange('nll'))).toEqual([-Infinity, Infinity]);
  });
});
