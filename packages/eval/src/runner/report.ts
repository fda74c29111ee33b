import type { AdversarialReport } from './adversarial-suite.js';
import type { CalibrationReport, ClassificationReport } from './classification-suite.js';
import type { OodReport } from './ood-suite.js';
import type { ShiftReport } from './shift-suite.js';

/** What runEvaluation returns (and `selfkd eval` writes as eval.json): one key per suite that ran. */
export interface EvalReport {
  classification?: ClassificationReport;
  calibration?: CalibrationReport;
  adversarial?: AdversarialReport;
  ood?: OodReport;
  shift?: ShiftReport;
}
