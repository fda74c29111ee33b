export { attentionMap, attentionLoss, distillKl, frskdLoss, type FrskdInputs, type FrskdParams } from './frskd-loss.js';
export { SelfTeacher, checkLevels, type LevelShapes, type SelfTeacherOptions, type SelfTeacherOutput } from './self-teacher.js';
export { plugin, module, frskdOptions, type FrskdOptions } from './plugin.js';
