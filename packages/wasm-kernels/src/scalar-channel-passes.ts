import type { ChannelPasses } from './simd/channel-passes.js';

/**
 * The passes of simd/channel-passes.ts one float at a time, for channel counts that are not a
 * multiple of 4 (or a heap the SIMD module cannot reach); same arguments (byte addresses on `heap`).
 */
export function scalarChannelPasses(heap: Float32Array): ChannelPasses {
  const f = Float32Array.BYTES_PER_ELEMENT;
  return {
    sums(a, b, rows, channelBytes, shiftA, shiftB, sumA, sumAB) {
      const channels = channelBytes / f;
      for (let r = 0; r < rows; r++) {
        const [aRow, bRow] = [a / f + r * channels, b / f + r * channels];
        for (let c = 0; c < channels; c++) {
          const da = heap[aRow + c]! - heap[shiftA / f + c]!;
          heap[sumA / f + c]! += da;
          heap[sumAB / f + c]! += da * (heap[bRow + c]! - heap[shiftB / f + c]!);
        }
      }
    },
    affine(x, out, rows, channelBytes, scale, offset) {
      const channels = channelBytes / f;
      for (let i = 0; i < rows * channels; i++) {
        const c = i % channels;
        heap[out / f + i] = heap[x / f + i]! * heap[scale / f + c]! + heap[offset / f + c]!;
      }
    },
    affine2(p, q, out, rows, channelBytes, kp, kq, k) {
      const channels = channelBytes / f;
      for (let i = 0; i < rows * channels; i++) {
        const c = i % channels;
        heap[out / f + i] = heap[p / f + i]! * heap[kp / f + c]! + heap[q / f + i]! * heap[kq / f + c]! + heap[k / f + c]!;
      }
    },
  };
}
