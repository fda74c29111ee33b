export { dropoutMasks } from './dropout-masks.js';
export {
  KL_DIRECTIONS,
  sdDropoutLoss,
  sdDropoutLossFromMasks,
  type Head,
  type KlDirection,
  type SdDropoutKlOptions,
  type SdDropoutLossOptions,
} from './sd-dropout-loss.js';
export { plugin, module, sdDropoutOptions, SD_DROPOUT_WEIGHT_ALONE, SD_DROPOUT_WEIGHT_COMBINED, type SdDropoutOptions } from './plugin.js';
