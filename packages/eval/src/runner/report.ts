import type { AdversarialReport } from '../suites/adversarial-suite.js';
import type { CalibrationReport } from '../suites/calibration-suite.js';
import type { ClassificationReport } from '../suites/classification-suite.js';
import type { OodReport } from '../suites/ood-suite.js';
import type { ShiftReport } from '../suites/shift-suite.js';

/**
 * What runEvaluation returns (and `selfkd eval` writes as eval.json): one key per suite that ran,
 * its name; the built-ins' parts typed, a third-party suite's whatever it returns.
 */
export interface EvalReport {
  classification?: ClassificationReport;
  calibration?: CalibrationReport;
  adversarial?: AdversarialReport;
  ood?: OodReport;
  shift?: ShiftReport;
  [suite: string]: unknown;
}
