/**
 * The metrics the report tables show (every metric is in results.csv and results.json): accuracy,
 * NLL, Brier, calibration and selective risk (AURC, E-AURC), robustness at each FGSM ε and PGD, OOD detection by MSP and energy,
 * mean accuracy under corruption, and test top-1 at the best-validation epoch when runs hold out a
 * validation split, and what a run cost (parameters, training FLOPs per image, CPU seconds).
 */
const HEADLINE = [/^top1$/, /^top5$/, /^nll$/, /^brier$/, /^ece$/, /^mce$/, /^aurc$/, /^eaurc$/, /^fgsm\.eps=/, /^pgd$/, /^ood\..+\.(msp|energy)\.auroc$/, /^ood\..+\.msp\.fprAt95Tpr$/, /^shift\.mean$/, /^bestVal\.top1$/, /^cost\./];

export function isHeadlineMetric(name: string): boolean {
  return HEADLINE.some((pattern) => pattern.test(name));
}
