// One training run for the conformance suite's kill-and-resume checks, in its own process so that
// it can be killed for real. Runs on the built packages (`pnpm build` first).
//   node train-in-child.mjs RAW_CONFIG_JSON OUT_DIR resume|fresh [KILL_AT_STEP]
// Prints the run's final metrics (and best-validation epoch, if any) as JSON; with KILL_AT_STEP it SIGKILLs itself as that global step
// (0-based) is reported, mid-epoch, after the checkpoints of the epochs before it were written.
import process from 'node:process';
import { PluginRegistry, pluginContainer, validateConfig } from '@selfkd/core';
import { builtinPluginPackages } from '@selfkd/cli';
import { builtinComponentModules, train } from '@selfkd/trainer';
import { module as examples } from '../../examples/custom-regularizer/dist/index.js';

const [raw, outDir, mode, killAt] = process.argv.slice(2);
const modules = [...Object.values(builtinPluginPackages).map((p) => p.module), examples];
const catalog = new PluginRegistry(pluginContainer([...builtinComponentModules, ...modules])).catalog();
const config = validateConfig(JSON.parse(raw), catalog);
let step = 0;
const reporter = {
  step: () => {
    if (killAt !== undefined && step === Number(killAt)) process.kill(process.pid, 'SIGKILL');
    step++;
  },
};
const result = await train(config, { outDir, resume: mode === 'resume', modules, reporter });
process.stdout.write(JSON.stringify({ metrics: result.metrics, bestValidation: result.bestValidation, epochs: result.history.map((r) => r.epoch) }) + '\n');
