import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { runChecked } from './support/run-process.js';

/**
 * Every example in a package README (a ```ts or ```js block with an import; the workspace packages and
 * examples/custom-regularizer) type-checks against the
 * built packages and runs. Each example is written into its own package's folder, so it resolves
 * exactly the dependencies that package declares, as it would in a user's project. One README is
 * exercised elsewhere: the trainer's example needs a regularizer package the trainer does not
 * depend on, and test/pack.test.ts runs it from the published tarballs. Needs the packages built
 * (`pnpm test` builds first).
 */
const root = resolve(import.meta.dirname, '..');
const exercisedElsewhere = new Set(['trainer']);
/** READMEs with no program to run: the CLI's documents the `selfkd` command, which test/cli.test.ts runs. */
const withoutCodeExamples = new Set(['cli']);

/** What an example must print, beyond exiting cleanly; the values are the ones its comments promise. */
const expectedOutput: Record<string, RegExp[]> = {
  'bake#0': [/\[\[0\.676\d*, 0\.323\d*\],\s*\[0\.323\d*, 0\.676\d*\],\s*\[0\.5\s*, 0\.5\s*\]\]/, /^true$/m],
  'bench#0': [/total: 9/, /done: 9/, /failed: 0/],
  'byot#0': [/^4$/m],
  'core#0': [/\[ 'cp' \]/],
  'cs-kd#0': [/→ partners/],
  'custom-regularizer#0': [/auxiliary-head loss by epoch: \d\.\d+ → \d\.\d+/, /head variables in the checkpoint: \[ \[ 64, 10 \], \[ 10 \] \]/],
  'custom-regularizer#1': [/-0\.\d+/, /\[\[0\.75, 0\.25\],\s*\[0\.25, 0\.75\]\]/],
  'data#0': [/1000 2000 \{ cropPadding: 2, flip: false \}/, /^900 100$/m, /\[ 3, 28, 28, 1 \] 2/, /T-shirt\/top 60000/],
  'ddgsd#0': [/^0$/m],
  'dks#0': [/^true$/m],
  'dlb#0': [/^\[ \d, \d \]\n\[ \d, \d, \d, \d \]\n\[ \d, \d, \d, \d \]$/m, /^0$/m],
  'eval#0': [/0\.8333/, /gaussian-noise/, /fashion-mnist/],
  'eval#1': [/^confident\n\s+metric\s+value\n\s+confident\.share\s+0\.\d+$/m, /\[ \{ name: 'confident\.share', value: 0\.\d+ \} \]/],
  'frskd#0': [/^\[ 2, 3 \] \[ \[ 2, 8, 8, 8 \], \[ 2, 4, 4, 16 \] \]\ntrue$/m],
  'label-smoothing#0': [/\[\[0\.025, 0\.025, 0\.925, 0\.025\],\s*\[0\.925, 0\.025, 0\.025, 0\.025\]\]/],
  'mixing#0': [/\{ top: 1, bottom: 3, left: 1, right: 3 \} 0\.75/, /\[ 4, 12 \]/, /\[\[0\.75, 0\.25\],\s*\[0\.25, 0\.75\]\]/],
  'models#0': [/^0$/m, /batchNorm: true/],
  'sd-dropout#0': [/^\d+(\.\d+)?(e-?\d+)? \[ 16, 10 \]$/m],
  'tracking#0': [
    /^step\/loss\/total @1 = 0\.5$/m,
    /^lr @1 = 0\.10000000149011612$/m,
    /^test\/top1 @1 = 0\.75$/m,
    /\[ '\.trash', '0', '\d+' \]/,
    /^header run history history summary exit final$/m,
    /^lr=0\.1 train\/total=0\.5 train\/task=0\.5 test\/top1=0\.75 test\/nll=0\.625 seconds=0\.1 epoch=1 global_step=1$/m,
  ],
  'tf-kd-reg#0': [/\[\[0\.01, 0\.01, 0\.97, 0\.01\],\s*\[0\.97, 0\.01, 0\.01, 0\.01\]\]/, /^true$/m],
  'tf-kd-self#0': [/^\[ 4, 10 \]\ntrue\n0$/m],
  'wasm-kernels#0': [/added: \[[^\]]*'Conv2DBackpropFilter'/, /replaced: \[[^\]]*'Conv2D'/, /\[ 3, 3, 3, 4 \]/],
};

interface Example {
  id: string;
  /** Short name, e.g. `core` for packages/core. */
  pkg: string;
  /** The package folder, relative to the repository root. */
  dir: string;
  language: 'ts' | 'js';
  code: string;
}

/** Every package folder with a README: the workspace's packages and the example plugin package. */
const packageDirs = [...readdirSync(join(root, 'packages')).sort().map((pkg) => `packages/${pkg}`), 'examples/custom-regularizer'];

function readmeExamples(): Example[] {
  const examples: Example[] = [];
  for (const dir of packageDirs) {
    const pkg = dir.split('/').pop()!;
    if (exercisedElsewhere.has(pkg)) continue;
    const text = readFileSync(join(root, dir, 'README.md'), 'utf8');
    let index = 0;
    for (const match of text.matchAll(/```(ts|js)\n([\s\S]*?)```/g)) {
      const code = match[2]!;
      // Blocks without an import are API signatures, not programs.
      if (!/^import /m.test(code)) continue;
      examples.push({ id: `${pkg}#${index++}`, pkg, dir, language: match[1] as 'ts' | 'js', code });
    }
  }
  return examples;
}

const examples = readmeExamples();
const written: string[] = [];
const workDir = mkdtempSync(join(tmpdir(), 'selfkd-readme-'));
// The bench example starts trainings with the relative path packages/cli/dist/bin.js.
symlinkSync(join(root, 'packages'), join(workDir, 'packages'));

function writeExample(example: Example, extension: string, code: string): string {
  const file = join(root, example.dir, `.readme-example-${example.id.split('#')[1]}${extension}`);
  writeFileSync(file, code);
  written.push(file);
  return file;
}

afterAll(() => {
  for (const file of written) rmSync(file, { force: true });
  rmSync(workDir, { recursive: true, force: true });
});

describe('README examples', () => {
  it('finds examples in every package README, a new package’s included', () => {
    const documented = packageDirs.map((dir) => dir.split('/').pop()!).filter((pkg) => !exercisedElsewhere.has(pkg) && !withoutCodeExamples.has(pkg));
    expect(documented).toEqual(expect.arrayContaining(['bake', 'bench', 'core', 'cs-kd', 'custom-regularizer', 'data', 'ddgsd', 'dlb', 'eval', 'label-smoothing', 'mixing', 'models', 'ps-kd', 'sd-dropout', 'tf-kd-reg', 'frskd', 'tf-kd-self', 'byot', 'dks', 'tracking', 'wasm-kernels']));
    expect(new Set(examples.map((e) => e.pkg))).toEqual(new Set(documented));
    for (const id of Object.keys(expectedOutput)) expect(examples.map((e) => e.id)).toContain(id);
  });

  it('type-check against the built packages with the workspace compiler options', () => {
    const files = examples.filter((e) => e.language === 'ts').map((e) => writeExample(e, '.mts', e.code));
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  });

  for (const example of examples) {
    it(`${example.id} runs${expectedOutput[example.id] ? ' and prints what its comments say' : ''}`, async () => {
      const code =
        example.language === 'ts'
          ? ts.transpileModule(example.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
          : example.code;
      const file = writeExample(example, '.mjs', code);
      const stdout = await runChecked(process.execPath, [file], { cwd: workDir, timeoutMs: 600_000 });
      for (const pattern of expectedOutput[example.id] ?? []) expect(stdout).toMatch(pattern);
    });
  }
});
