import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '@selfkd/trainer';
import { runCli } from '../../../test/support/cli.js';

/** The CLI in child processes, so the two trainings never block the test worker. */
async function trainRun(dir: string, name: string, config: Record<string, unknown>) {
  const configPath = join(dir, `${name}.json`);
  await writeFile(configPath, JSON.stringify({ seed: 3, backend: 'cpu', data: { name: 'mnist-digits', trainSize: 300 }, ...config }));
  const out = join(dir, name);
  return { out, run: await runCli(['train', '--config', configPath, '--out', out]) };
}

const cnn = { name: 'cnn', channels: [4, 8], dense: 16 };
const schedule = { epochs: 2, batchSize: 30, optimizer: { name: 'adam', lr: 0.005 } };

interface EpochLine {
  train: Record<string, number>;
  test: { top1: number };
}

describe('Tf-KD-self end to end: a teacher run, then a student of the same model distilled from it', () => {
  it('the student (α 0.95, task weight 0.05, with SD-Dropout) learns; its checkpoints and exported model hold only its own weights', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selfkd-tf-kd-self-'));
    const teacher = await trainRun(dir, 'teacher', { model: cnn, train: schedule });
    expect(teacher.run.status, teacher.run.stderr).toBe(0);
    const student = await trainRun(dir, 'student', {
      model: cnn,
      train: schedule,
      task: { weight: 0.05 },
      regularizers: [{ type: 'tf-kd-self', teacher: teacher.out }, { type: 'sd-dropout', weight: 0.1 }],
    });
    expect(student.run.status, student.run.stderr).toBe(0);
    const epochs = (await readFile(join(student.out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EpochLine);
    expect(Object.keys(epochs[0]!.train).sort()).toEqual(['sd-dropout', 'task', 'tf-kd-self', 'total']);
    expect(epochs[0]!.train['tf-kd-self']).toBeGreaterThan(0);
    expect(epochs[1]!.train['tf-kd-self']).toBeLessThan(epochs[0]!.train['tf-kd-self']!);
    expect(epochs[1]!.test.top1).toBeGreaterThan(0.3); // 10 classes: chance is 0.1

    const { state, dir: checkpointDir } = await loadCheckpoint(student.out);
    expect(state.regularizerVariables).toEqual({});
    expect(Object.keys(state.regularizers)).toEqual([]);
    // The optimizer has slots for the student's variables only: as many as the teacher run's had.
    const { state: teacherState } = await loadCheckpoint(teacher.out);
    expect((state.optimizer as { slots: unknown[] }).slots).toHaveLength((teacherState.optimizer as { slots: unknown[] }).slots.length);
    const weightNames = async (folder: string) =>
      (JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as { weightsManifest: { weights: { name: string }[] }[] }).weightsManifest.flatMap((m) => m.weights.map((w) => w.name));
    const teacherWeights = await weightNames((await loadCheckpoint(teacher.out)).dir);
    expect(await weightNames(checkpointDir)).toHaveLength(teacherWeights.length);
    // Only the teacher's path is kept, in the config.
    const resolved = JSON.parse(await readFile(join(student.out, 'config.resolved.json'), 'utf8')) as { regularizers: { teacher?: string }[] };
    expect(resolved.regularizers[0]!.teacher).toBe(teacher.out);

    // A student of another architecture is refused before training, exit status 2, naming the option.
    const mismatched = await trainRun(dir, 'mlp-student', {
      model: { name: 'mlp', hidden: [16] },
      train: schedule,
      regularizers: [{ type: 'tf-kd-self', teacher: teacher.out }],
    });
    expect(mismatched.run.status).toBe(2);
    expect(mismatched.run.stderr).toMatch(/tf-kd-self\.teacher: the teacher does not match the model: its architecture differs \(the teacher, a cnn/);
    const missing = await trainRun(dir, 'orphan', { model: cnn, train: schedule, regularizers: [{ type: 'tf-kd-self', teacher: join(dir, 'nothing-here') }] });
    expect(missing.run.status).toBe(2);
    expect(missing.run.stderr).toMatch(/tf-kd-self\.teacher: ".*nothing-here" cannot be read as the teacher/);
  }, 300_000);
});
