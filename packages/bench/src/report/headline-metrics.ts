/**
 * The metrics the report tables show (every metric is in results.csv and results.json): accuracy,
 * NLL, Brier, calibration, robustness at each FGSM ε and PGD, OOD detection by MSP and energy,
 * and mean accuracy under corruption.
 */
const HEADLINE = [/^top1$/, /^top5$/, /^nll$/, /^brier$/, /^ece$/, /^mce$/, /^fgsm\.eps=/, /^pgd$/, /^ood\..+\.(msp|energy)\.auroc$/, /^ood\..+\.msp\.fprAt95Tpr$/, /^shift\.mean$/];

export function isHeadlineMetric(name: string): boolean {
  return HEADLINE.some((pattern) => pattern.test(name));
}
