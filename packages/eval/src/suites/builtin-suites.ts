import type { EvalSuite } from '../runner/eval-suite.js';
import { adversarialSuite } from './adversarial-suite.js';
import { calibrationSuite } from './calibration-suite.js';
import { classificationSuite } from './classification-suite.js';
import { oodSuite } from './ood-suite.js';
import { shiftSuite } from './shift-suite.js';

/** The built-in suites, in the order `eval.suite: all` runs them (third-party suites follow). */
export const builtinEvalSuites: readonly EvalSuite[] = [classificationSuite, calibrationSuite, adversarialSuite, oodSuite, shiftSuite];
