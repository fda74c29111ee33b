import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { runChecked, runProcess } from './support/run-process.js';

/**
 * `pnpm new:regularizer` (scripts/new-regularizer.mjs), run with `--root` into a scratch copy of the
 * files it edits, beside links to the real core package, the mixing package (whose types a new NAME
 * must not take) and the workspace's node_modules, so nothing is written into the
 * repository. The generated package is then built, tested and its README example run in child
 * processes, against the built @selfkd/core (`pnpm test` builds first).
 */
const repo = resolve(import.meta.dirname, '..');
const script = join(repo, 'scripts/new-regularizer.mjs');
const editedFiles = ['package.json', 'tsconfig.json', 'packages/cli/package.json', 'packages/cli/tsconfig.json', 'packages/cli/src/builtin-plugins.ts'];
const scratchDirs: string[] = [];

function scratchRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'selfkd-new-regularizer-'));
  scratchDirs.push(root);
  for (const file of [...editedFiles, 'tsconfig.base.json']) cpSync(join(repo, file), join(root, file));
  for (const pkg of ['core', 'mixing']) symlinkSync(join(repo, 'packages', pkg), join(root, 'packages', pkg));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  return root;
}

const generate = (root: string, ...args: string[]) => runProcess(process.execPath, [script, ...args, '--root', root]);
const readJson = <T = Record<string, Record<string, unknown>>>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const referencesOf = (path: string) => readJson<{ references: { path: string }[] }>(path).references;
const snapshot = (root: string) => editedFiles.map((file) => readFileSync(join(root, file), 'utf8'));

afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe('pnpm new:regularizer NAME', () => {
  const root = scratchRoot();
  const pkgDir = join(root, 'packages/logit-demo');
  const generated = generate(root, 'logit-demo');

  it('writes a package in the shape of the method packages', async () => {
    const { status, stdout, stderr } = await generated;
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('registered @selfkd/logit-demo in package.json, tsconfig.json, packages/cli/package.json');
    const files = readdirSync(pkgDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('.')).sort();
    expect(files).toEqual(['README.md', 'package.json', 'src/index.ts', 'src/logit-demo-loss.ts', 'src/plugin.ts', 'test/logit-demo-loss.test.ts', 'tsconfig.json']);

    const reference = readJson(join(repo, 'packages/tf-kd-reg/package.json'));
    const pkg = readJson(join(pkgDir, 'package.json'));
    expect(pkg.name).toBe('@selfkd/logit-demo');
    expect(pkg.repository).toMatchObject({ directory: 'packages/logit-demo' });
    expect(pkg.homepage).toContain('/packages/logit-demo#');
    const own = { name: reference.name, description: reference.description, homepage: reference.homepage, repository: reference.repository };
    expect({ ...pkg, ...own }).toEqual(reference);
    expect(readJson(join(pkgDir, 'tsconfig.json'))).toEqual(readJson(join(repo, 'packages/tf-kd-reg/tsconfig.json')));
    expect(readFileSync(join(pkgDir, 'src/plugin.ts'), 'utf8')).toMatch(/type: 'logit-demo'[\s\S]*export const module = regularizerModule\(plugin\);/);
  });

  it('registers it in the workspace and among the CLI’s built-ins, changing nothing else', async () => {
    await generated;
    const devDependencies = readJson(join(root, 'package.json')).devDependencies!;
    expect(devDependencies['@selfkd/logit-demo']).toBe('workspace:*');
    const keys = Object.keys(devDependencies);
    expect(keys.indexOf('@selfkd/logit-demo')).toBe(keys.indexOf('@selfkd/label-smoothing') + 1);
    delete devDependencies['@selfkd/logit-demo'];
    expect(devDependencies).toEqual(readJson(join(repo, 'package.json')).devDependencies);
    expect(referencesOf(join(root, 'tsconfig.json'))).toEqual([...referencesOf(join(repo, 'tsconfig.json')), { path: 'packages/logit-demo' }]);
    expect(readJson(join(root, 'packages/cli/package.json')).dependencies!['@selfkd/logit-demo']).toBe('workspace:^');
    expect(referencesOf(join(root, 'packages/cli/tsconfig.json'))).toEqual([...referencesOf(join(repo, 'packages/cli/tsconfig.json')), { path: '../logit-demo' }]);
    const builtins = readFileSync(join(root, 'packages/cli/src/builtin-plugins.ts'), 'utf8');
    expect(builtins).toContain("import * as logitDemo from '@selfkd/logit-demo';\n");
    expect(builtins).toMatch(/'@selfkd\/logit-demo': logitDemo,\n\};/);
    expect(builtins.replace("import * as logitDemo from '@selfkd/logit-demo';\n", '').replace("  '@selfkd/logit-demo': logitDemo,\n", '')).toBe(
      readFileSync(join(repo, 'packages/cli/src/builtin-plugins.ts'), 'utf8'),
    );
  });

  it('refuses a NAME that is not kebab-case, is taken or is reserved, with exit 2, naming the value, and writes nothing', async () => {
    await generated;
    const before = snapshot(root);
    const cases: [string, RegExp][] = [
      ['LogitPenalty', /NAME must be kebab-case: lower-case letters and digits .* \(got "LogitPenalty"\)/],
      ['logit_penalty', /NAME must be kebab-case.* \(got "logit_penalty"\)/],
      ['logit--penalty', /NAME must be kebab-case.* \(got "logit--penalty"\)/],
      ['logit-demo', /packages\/logit-demo exists \(got "logit-demo"\)/],
      ['core', /packages\/core exists \(got "core"\)/],
      ['cutmix', /packages\/mixing\/src\/cutmix-plugin\.ts registers type "cutmix" \(got "cutmix"\)/],
      ['total', /may not be "task" or "total".* \(got "total"\)/],
    ];
    for (const [name, message] of cases) {
      const { status, stderr } = await generate(root, name);
      expect(status, name).toBe(2);
      expect(stderr, name).toMatch(message);
    }
    const usage = await runProcess(process.execPath, [script, '--root', root]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/expected exactly one NAME, got 0 \(none\)\nusage: pnpm new:regularizer NAME/);
    const elsewhere = await generate(join(root, 'packages'), 'logit-other');
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toMatch(/--root must be a selfkd checkout .* \(got ".*packages"\)/);
    expect(snapshot(root)).toEqual(before);
    expect(readdirSync(join(root, 'packages')).sort()).toEqual(['cli', 'core', 'logit-demo', 'mixing']);
  });

  it('generates a package that builds and type-checks against the workspace, passes its tests and runs its README examples', async () => {
    await generated;
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    await runChecked(process.execPath, [tsc, '-p', join(pkgDir, 'tsconfig.json')]);
    expect(existsSync(join(pkgDir, 'dist/index.d.ts'))).toBe(true);
    // Its test too, with the options the workspace checks tests with (tsconfig.test.json).
    const testConfig = { extends: './tsconfig.base.json', compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, rootDir: '.' }, include: ['packages/logit-demo/test/**/*.ts'] };
    writeFileSync(join(root, 'tsconfig.test.json'), JSON.stringify(testConfig));
    await runChecked(process.execPath, [tsc, '-p', join(root, 'tsconfig.test.json')]);
    const { FORCE_COLOR: _, ...env } = process.env;
    const tests = await runChecked(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--root', pkgDir], { env: { ...env, NO_COLOR: '1' } });
    expect(tests).toMatch(/Tests\s+7 passed \(7\)/);

    // Written inside the package, the examples import it by its own name (a package may import itself through `exports`).
    const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(2);
    let stdout = '';
    for (const [i, code] of blocks.entries()) {
      const file = join(pkgDir, `readme-example-${i}.mjs`);
      writeFileSync(file, ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
      stdout += await runChecked(process.execPath, [file], { cwd: pkgDir });
    }
    expect(stdout).toMatch(/^0\.1438$/m);
    expect(stdout).toMatch(/^logit-demo 0\.1$/m);
  });
});
