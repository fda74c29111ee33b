import { z } from '@selfkd/core';

/**
 * The units or channels of one layer. The cap turns an impossible size (a typo like 1e9) into a
 * config error naming the field, instead of a failed allocation deep inside tfjs.
 */
export const MAX_LAYER_WIDTH = 65_536;
export const layerWidth = z.number().int().positive().max(MAX_LAYER_WIDTH, `a layer has at most ${MAX_LAYER_WIDTH} units or channels`);
