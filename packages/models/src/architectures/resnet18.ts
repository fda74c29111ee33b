import * as tfl from '@tensorflow/tfjs-layers';
import { z } from '@selfkd/core';
import { FEATURES_LAYER } from '../classifier.js';
import type { Architecture } from './architecture.js';
import { batchNorm, connect, conv2d, relu } from './layers.js';

const BASE_CHANNELS = 64;
const STAGE_STRIDES = [1, 2, 2, 2];
const BLOCKS_PER_STAGE = 2;

const options = z.strictObject({
  /** Channel multiplier: the stages have 64·w, 128·w, 256·w, 512·w channels (0.25 → 16 base channels). */
  width: z
    .number()
    .finite()
    .min(1 / BASE_CHANNELS, `width must be at least 1/${BASE_CHANNELS} so that the first stage has a channel`)
    .default(1),
});

/**
 * CIFAR-style ResNet-18 (He et al. 2016, as in the PyTorch code of the self-KD papers): 3×3 stem
 * at stride 1 and no max-pool, four stages of two BasicBlocks at strides 1, 2, 2, 2, convolutions
 * without bias followed by BatchNorm, a 1×1 projection shortcut wherever the shape changes, and
 * global average pooling into the features.
 */
export const resnet18: Architecture<typeof options> = {
  name: 'resnet18',
  description: 'CIFAR ResNet-18 (3×3 stem, no max-pool, 4×2 BasicBlocks, global average pool); `width` scales the channels',
  options,
  buildFeatures(input, { width }, spec) {
    const base = Math.round(BASE_CHANNELS * width);
    let x = conv2d(input, spec.seed, { name: 'stem_conv', filters: base, kernelSize: 3, strides: 1, useBias: false });
    x = relu(batchNorm(x, 'stem_bn'), 'stem_relu');
    STAGE_STRIDES.forEach((stageStride, s) => {
      for (let b = 0; b < BLOCKS_PER_STAGE; b++) {
        x = basicBlock(x, spec.seed, blockName(s, b), base * 2 ** s, b === 0 ? stageStride : 1);
      }
    });
    return connect(tfl.layers.globalAveragePooling2d({ name: FEATURES_LAYER }), x);
  },
  /** `stage1`…`stage4`: each stage's output (its last block's final ReLU), as BYOT and DKS read them. */
  taps: () => Object.fromEntries(STAGE_STRIDES.map((_, s) => [`stage${s + 1}`, `${blockName(s, BLOCKS_PER_STAGE - 1)}_relu2`])),
};

function blockName(stage: number, block: number): string {
  return `stage${stage + 1}_block${block + 1}`;
}

/** relu(bn(conv3×3(relu(bn(conv3×3(x))))) + shortcut(x)); the shortcut projects when stride or width changes. */
function basicBlock(x: tfl.SymbolicTensor, seed: number, name: string, filters: number, strides: number): tfl.SymbolicTensor {
  let out = conv2d(x, seed, { name: `${name}_conv1`, filters, kernelSize: 3, strides, useBias: false });
  out = relu(batchNorm(out, `${name}_bn1`), `${name}_relu1`);
  out = conv2d(out, seed, { name: `${name}_conv2`, filters, kernelSize: 3, strides: 1, useBias: false });
  out = batchNorm(out, `${name}_bn2`);
  const projects = strides !== 1 || x.shape[3] !== filters;
  const shortcut = projects
    ? batchNorm(conv2d(x, seed, { name: `${name}_proj`, filters, kernelSize: 1, strides, useBias: false }), `${name}_proj_bn`)
    : x;
  return relu(connect(tfl.layers.add({ name: `${name}_add` }), [out, shortcut]), `${name}_relu2`);
}
