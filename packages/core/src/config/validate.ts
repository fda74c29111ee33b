import type { z } from 'zod';
import type { PluginEnv } from '../plugins/regularizer-plugin.js';
import type { ComponentEntry, ConfigCatalog } from './catalog.js';
import { ConfigError, pathToString, type ConfigIssue } from './errors.js';
import { baseConfigSchema, RESERVED_TERM_NAMES, type NamedComponentConfig, type RegularizerSpec, type SelfKdConfig } from './schema.js';
import { loggingReporters } from './logging-reporters.js';
import { assertNoForbiddenKeys } from './safe-keys.js';
import { toConfigIssues, valueAt } from './zod-issues.js';

/**
 * Validates a raw config (parsed YAML/JSON with overrides applied) against the schema and the
 * catalog of known models, datasets and regularizer plugins. Collects every problem and throws
 * one ConfigError listing them all, so a user fixes a config in one pass, before any training.
 */
export function validateConfig(raw: unknown, catalog: ConfigCatalog, source = 'config'): SelfKdConfig {
  assertNoForbiddenKeys(raw, source);
  const issues: ConfigIssue[] = [];
  const base = baseConfigSchema.safeParse(raw);
  if (!base.success) issues.push(...toConfigIssues(base.error, baseConfigSchema, raw));
  // Sections are checked against the catalog even when the base schema failed elsewhere, so one
  // run reports every problem; a section whose basic shape is wrong is reported by the base schema.
  const section = (key: string): unknown => valueAt(raw, [key]);
  const named = (value: unknown): value is NamedComponentConfig =>
    value !== null && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string';
  const modelRaw = section('model');
  const dataRaw = section('data');
  const regularizersRaw = section('regularizers');
  const reportersRaw = section('reporters');
  const model = named(modelRaw) ? validateComponent(['model'], 'model', modelRaw, catalog.models, issues) : undefined;
  const data = named(dataRaw) ? validateComponent(['data'], 'dataset', dataRaw, catalog.datasets, issues) : undefined;
  const reporters = Array.isArray(reportersRaw) && reportersRaw.every(named)
    ? reportersRaw.map((entry, i) => validateComponent(['reporters', i], 'reporter', entry, catalog.reporters ?? [], issues))
    : [];
  const regularizers = Array.isArray(regularizersRaw) && regularizersRaw.every(isRegularizerEntry)
    ? validateRegularizers(regularizersRaw, catalog, modelTaps(model, catalog), issues)
    : [];

  // A `logging:` key stands for a contributed reporter: one that no loaded plugin contributes is
  // reported now, not when the run starts.
  for (const entry of loggingReporters(base.success ? base.data.logging : undefined)) {
    if ((catalog.reporters ?? []).some((r) => r.name === entry.name)) continue;
    issues.push({
      path: `logging.${entry.name}`,
      value: entry.dir,
      message: `no loaded plugin contributes the "${entry.name}" reporter this key asks for; load @selfkd/tracking's \`module\` (the selfkd command always does)`,
    });
  }

  // An absent `eval:` section means no evaluation suite after training; an empty one means all defaults.
  const evalRaw = section('eval');
  let evalSection: unknown = evalRaw;
  if (catalog.eval && evalRaw !== undefined) {
    const parsed = catalog.eval.safeParse(evalRaw ?? {});
    if (parsed.success) evalSection = parsed.data;
    else issues.push(...toConfigIssues(parsed.error, catalog.eval, evalRaw ?? {}, ['eval']));
  }

  const selectBy = valueAt(raw, ['train', 'selectBy']);
  if (selectBy !== undefined && valueAt(dataRaw, ['validation']) === undefined) {
    issues.push({
      path: 'train.selectBy',
      value: selectBy,
      message: 'selects the best epoch on the validation split, but data.validation is not set; set data.validation (e.g. 0.1) or remove train.selectBy',
    });
  }

  if (issues.length || !base.success) throw new ConfigError(issues, source);
  return { ...base.data, model: model!, data: data!, reporters: reporters as NamedComponentConfig[], regularizers, eval: evalSection };
}

/** The model section's name and taps, when its catalog entry says which taps it exposes. */
interface ModelTaps {
  model: string;
  taps: readonly string[];
}

function modelTaps(model: NamedComponentConfig | undefined, catalog: ConfigCatalog): ModelTaps | undefined {
  if (!model) return undefined;
  const { name, ...options } = model;
  const taps = catalog.models.find((m) => m.name === name)?.taps?.(options);
  return taps ? { model: name, taps } : undefined;
}

function isRegularizerEntry(value: unknown): value is { type: string; weight?: number; name?: string } {
  return value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

function validateComponent(
  at: readonly (string | number)[],
  kind: string,
  value: NamedComponentConfig,
  entries: readonly ComponentEntry[],
  issues: ConfigIssue[],
): NamedComponentConfig | undefined {
  const entry = entries.find((e) => e.name === value.name);
  if (!entry) {
    issues.push({ path: pathToString([...at, 'name']), value: value.name, message: `unknown ${kind}; known: ${entries.map((e) => e.name).join(', ') || '(none loaded)'}` });
    return undefined;
  }
  const { name, ...options } = value;
  const parsed = entry.options.safeParse(options);
  if (!parsed.success) {
    issues.push(...toConfigIssues(parsed.error, entry.options, options, at));
    return undefined;
  }
  return { name, ...(parsed.data as object) };
}

function validateRegularizers(
  entries: readonly { type: string; weight?: number; name?: string; [k: string]: unknown }[],
  catalog: ConfigCatalog,
  model: ModelTaps | undefined,
  issues: ConfigIssue[],
): RegularizerSpec[] {
  const known = catalog.plugins.map((p) => p.type);
  const env: PluginEnv = { types: entries.map((e) => e.type) };
  const specs: RegularizerSpec[] = [];
  const owners: string[] = [];
  const names = new Map<string, number>();

  entries.forEach((entry, i) => {
    const where = `regularizers[${i}]`;
    const plugin = catalog.plugins.find((p) => p.type === entry.type);
    if (!plugin) {
      issues.push({ path: `${where}.type`, value: entry.type, message: `unknown regularizer type; known: ${known.join(', ') || '(none loaded)'}` });
      return;
    }
    const { type, weight, name, ...options } = entry;
    const parsed = (plugin.options as z.ZodType).safeParse(options);
    if (!parsed.success) {
      issues.push(...toConfigIssues(parsed.error, plugin.options as z.ZodType, options, ['regularizers', i]));
      return;
    }
    const resolvedName = name ?? type;
    if (RESERVED_TERM_NAMES.includes(resolvedName)) {
      issues.push({
        path: `${where}.${name === undefined ? 'type' : 'name'}`,
        value: resolvedName,
        message: `"${resolvedName}" names a loss value the trainer logs itself (reserved: ${RESERVED_TERM_NAMES.join(', ')}); give this regularizer another "name"`,
      });
    }
    for (const tap of plugin.taps?.(parsed.data as object) ?? []) {
      if (model && !model.taps.includes(tap)) {
        issues.push({
          path: where,
          value: tap,
          message: `${type} asks for the tap "${tap}", which model "${model.model}" does not expose; its taps: ${model.taps.join(', ') || '(none)'}`,
        });
      }
    }
    const previous = names.get(resolvedName);
    if (previous !== undefined) {
      issues.push({
        path: `${where}.name`,
        value: resolvedName,
        message: `regularizers[${previous}] already uses this name; give one of them a distinct "name"`,
      });
    }
    names.set(resolvedName, i);
    if (plugin.ownsSampler) owners.push(`${where} (${type})`);
    const conflict = plugin.checkCombination?.(env);
    if (conflict) issues.push({ path: where, value: entry.type, message: conflict });
    specs.push({
      type,
      options: { ...(parsed.data as Record<string, unknown>), weight: weight ?? plugin.defaultWeight(env), name: resolvedName },
    });
  });

  if (owners.length > 1) {
    issues.push({
      path: 'regularizers',
      value: entries.map((e) => e.type),
      message: `${owners.join(' and ')} each supply the batch sampler; at most one regularizer may own it`,
    });
  }
  return specs;
}
