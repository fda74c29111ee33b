export { virtualTeacher } from './virtual-teacher.js';
export { tfKdRegLoss, type TfKdRegParams } from './tf-kd-reg-loss.js';
export { plugin, module, tfKdRegOptions, type TfKdRegOptions } from './plugin.js';
