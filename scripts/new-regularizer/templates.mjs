/**
 * The files of a new regularizer package, in the shape of the method packages (see
 * packages/tf-kd-reg). Its loss is a placeholder that is a real, tested term — KL from the uniform
 * distribution to the tempered predictions — so the package builds, passes its tests and trains
 * before the method's own loss replaces it.
 */
export function packageFiles({ name, camel, pascal, packageName }) {
  const loss = `${camel}Loss`;
  const fence = '```';
  return {
    'package.json': `${JSON.stringify(
      {
        name: packageName,
        version: '0.1.0',
        description: `${name} regularizer plugin for selfkd`,
        keywords: ['tensorflowjs', 'tfjs', 'knowledge-distillation', 'self-distillation', 'regularization', 'deep-learning'],
        homepage: `https://github.com/selfkd/selfkd/tree/main/packages/${name}#readme`,
        bugs: { url: 'https://github.com/selfkd/selfkd/issues' },
        repository: { type: 'git', url: 'git+https://github.com/selfkd/selfkd.git', directory: `packages/${name}` },
        license: 'MIT',
        author: 'selfkd contributors',
        type: 'module',
        sideEffects: false,
        main: './dist/index.js',
        types: './dist/index.d.ts',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
        files: ['dist', 'src', 'README.md', 'LICENSE', '!**/*.tsbuildinfo'],
        engines: { node: '>=20' },
        publishConfig: { access: 'public' },
        scripts: { build: 'tsc -b', prepack: 'node ../../scripts/copy-license.mjs' },
        dependencies: { '@selfkd/core': 'workspace:^' },
        peerDependencies: { '@tensorflow/tfjs-core': '^4.20.0' },
        devDependencies: { '@tensorflow/tfjs-backend-cpu': '4.22.0', '@tensorflow/tfjs-core': '4.22.0' },
      },
      null,
      2,
    )}\n`,

    'tsconfig.json': `${JSON.stringify(
      {
        extends: '../../tsconfig.base.json',
        compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: '.tsbuildinfo' },
        include: ['src'],
        references: [{ path: '../core' }],
      },
      null,
      2,
    )}\n`,

    'src/index.ts': `export { ${loss}, type ${pascal}Params } from './${name}-loss.js';
export { plugin, module, ${camel}Options, type ${pascal}Options } from './plugin.js';
`,

    'src/plugin.ts': `import { defineRegularizerPlugin, regularizerModule, z, type Regularizer } from '@selfkd/core';
import { ${loss} } from './${name}-loss.js';

export const ${camel}Options = z.strictObject({
  /** T: the predictions are compared with the uniform distribution as softmax(z / T). */
  temperature: z.number().finite().positive().default(1),
});

export type ${pascal}Options = z.infer<typeof ${camel}Options>;

export const plugin = defineRegularizerPlugin<${pascal}Options>({
  type: '${name}',
  description: '${name}: the generated placeholder term KL(u ‖ softmax(z/T)), to be replaced by the method',
  options: ${camel}Options,
  defaultWeight: () => 0.1,
  create: ({ temperature, weight, name }): Regularizer => ({
    type: '${name}',
    name,
    weight,
    loss: (ctx) => ${loss}(ctx.logits, { temperature }),
  }),
});

export const module = regularizerModule(plugin);
`,

    [`src/${name}-loss.ts`]: `import * as tf from '@tensorflow/tfjs-core';

export interface ${pascal}Params {
  /** \`T\`: the logits are divided by T before the softmax. */
  temperature: number;
}

/**
 * The placeholder term the generator wrote, to be replaced by the method's own:
 * \`mean_b KL(u ‖ softmax(z_b / T))\` with \`u\` uniform over the K classes, which is
 * \`mean_b [−ln K − (1/K)·Σ_k ln p_bk]\`: 0 for uniform predictions, growing as they become
 * confident (the regularizing effect of label smoothing, Pereyra et al. 2017, §3.2). Its gradient
 * in \`z\` is \`(p − 1/K) / (B·T)\`. Unweighted: the trainer multiplies it by the entry's weight.
 */
export function ${loss}(logits: tf.Tensor2D, { temperature }: ${pascal}Params): tf.Scalar {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(\`temperature must be a positive number, got \${temperature}\`);
  const numClasses = logits.shape[1];
  return tf.tidy(() => {
    // The mean over all B·K entries of −ln p is (1/B)·Σ_b (1/K)·Σ_k −ln p_bk.
    const logP = tf.logSoftmax(tf.div(logits, temperature));
    return tf.sub(tf.neg(tf.mean(logP)), Math.log(numClasses)) as tf.Scalar;
  });
}
`,

    [`test/${name}-loss.test.ts`]: `import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { TOKENS, createRegularizerContainer, validateConfig, type Regularizer } from '@selfkd/core';
import { ${loss}, module, plugin } from '../src/index.js';

describe('${loss}', () => {
  it('is KL(u ‖ p): 0 for uniform predictions, ½·ln(4/3) for p = [3/4, 1/4] (hand-computed)', () => {
    // p = [3/4, 1/4]: ½·ln(½ / ¾) + ½·ln(½ / ¼) = ½·ln(4/3).
    expect(${loss}(tf.tensor2d([[1, 1, 1]]), { temperature: 1 }).dataSync()[0]).toBeCloseTo(0, 6);
    expect(${loss}(tf.tensor2d([[Math.log(3), 0]]), { temperature: 1 }).dataSync()[0]).toBeCloseTo(0.5 * Math.log(4 / 3), 6);
    expect(${loss}(tf.tensor2d([[Math.log(3), 0], [5, 5]]), { temperature: 1 }).dataSync()[0]).toBeCloseTo(0.25 * Math.log(4 / 3), 6);
  });

  it('divides the logits by T', () => {
    expect(${loss}(tf.tensor2d([[2 * Math.log(3), 0]]), { temperature: 2 }).dataSync()[0]).toBeCloseTo(0.5 * Math.log(4 / 3), 6);
  });

  it('has the gradient (p − 1/K)/(B·T) (hand-computed)', () => {
    // Row 0: p = [3/4, 1/4]; row 1: p = [1/2, 1/2]; B = 2, T = 1.
    const grad = tf.grad((z: tf.Tensor) => ${loss}(z as tf.Tensor2D, { temperature: 1 }))(tf.tensor2d([[Math.log(3), 0], [0, 0]]));
    const expected = [0.125, -0.125, 0, 0];
    grad.dataSync().forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 6));
  });

  it('rejects a temperature that is not a positive number, naming it', () => {
    expect(() => ${loss}(tf.tensor2d([[0, 0]]), { temperature: 0 })).toThrow(/temperature must be a positive number, got 0/);
  });

  it('leaves no tensor behind but its result', () => {
    const logits = tf.tensor2d([[1, 2, 3]]);
    const before = tf.memory().numTensors;
    ${loss}(logits, { temperature: 2 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the ${name} plugin', () => {
  it('is resolved from a config entry through the container, its loss the unweighted term', () => {
    const container = createRegularizerContainer([module], [{ type: '${name}', options: { temperature: 1, weight: 0.1, name: '${name}' } }]);
    const [regularizer] = container.get<Regularizer[]>(TOKENS.Regularizers);
    expect(regularizer!.weight).toBe(0.1);
    const term = regularizer!.loss!({ logits: tf.tensor2d([[Math.log(3), 0]]) } as never, undefined);
    expect(term.dataSync()[0]).toBeCloseTo(0.5 * Math.log(4 / 3), 6);
  });

  it('validates its options, naming the path and the value', () => {
    const raw = {
      data: { name: 'x' },
      model: { name: 'y' },
      train: { epochs: 1, optimizer: { name: 'sgd', lr: 0.1 } },
      regularizers: [{ type: '${name}', temperature: -1 }],
    };
    expect(() => validateConfig(raw, { plugins: [plugin], models: [], datasets: [] })).toThrow(/regularizers\\[0\\]\\.temperature: .* \\(got -1\\)/);
  });
});
`,

    'README.md': `# ${packageName}

The \`${name}\` regularizer as a selfkd plugin (\`type: ${name}\`). Written by \`pnpm new:regularizer ${name}\`:
its loss, \`${loss}\` in \`src/${name}-loss.ts\`, is still the generator's placeholder, which the
method's own term replaces (with its tests, this README and a section in
[docs/methods.md](../../docs/methods.md)).

${fence}yaml
regularizers:
  - type: ${name}
    weight: 0.1       # default
    temperature: 1    # default
${fence}

## What it computes, and where it comes from

The placeholder: \`mean_b KL(u ‖ softmax(z_b / T))\`, with \`u\` the uniform distribution over the K
classes, averaged over the batch. It is 0 for uniform predictions and grows as they become confident,
the regularizing effect label smoothing has on the logits (Pereyra et al. 2017, "Regularizing neural
networks by penalizing confident output distributions", §3.2).

## Use it without the trainer

${fence}ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ${loss} } from '${packageName}';

const term = ${loss}(tf.tensor2d([[Math.log(3), 0]]), { temperature: 1 });
console.log(term.dataSync()[0].toFixed(4)); // 0.1438, ½·ln(4/3)
${fence}

## Register it in a container

${fence}ts
import { TOKENS, createRegularizerContainer, type Regularizer } from '@selfkd/core';
import { module } from '${packageName}';

const container = createRegularizerContainer([module], [{ type: '${name}', options: { temperature: 1, weight: 0.1, name: '${name}' } }]);
const [regularizer] = container.get<Regularizer[]>(TOKENS.Regularizers);
console.log(regularizer.type, regularizer.weight); // ${name} 0.1
${fence}
`,
  };
}
