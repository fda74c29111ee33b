/**
 * Service identifiers of the plugin container. Symbol.for keeps them equal across duplicated
 * copies of this package (a plugin may bring its own).
 */
export const TOKENS = {
  /** Contributions, bound by plugin modules (many per token). */
  RegularizerPlugin: Symbol.for('selfkd.RegularizerPlugin'),
  ModelArchitecture: Symbol.for('selfkd.ModelArchitecture'),
  Dataset: Symbol.for('selfkd.Dataset'),
  Reporter: Symbol.for('selfkd.Reporter'),
  EvalSuite: Symbol.for('selfkd.EvalSuite'),
  /** The validated regularizer entries of the config, and the regularizers made from them in config order. */
  RegularizerSpecs: Symbol.for('selfkd.RegularizerSpecs'),
  Regularizers: Symbol.for('selfkd.Regularizers'),
} as const;
