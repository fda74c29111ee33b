export { tfKdSelfLoss, type TfKdSelfParams } from './tf-kd-self-loss.js';
export { loadFrozenTeacher } from './frozen-teacher.js';
export { EXAMPLE_TEACHER, EXAMPLE_TEACHER_MODEL } from './example-teacher.js';
export { plugin, module, tfKdSelfOptions, type TfKdSelfOptions } from './plugin.js';
