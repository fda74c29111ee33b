import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError, Rng, type ModelDescription } from '@selfkd/core';
import { EXAMPLE_TEACHER, loadFrozenTeacher, plugin } from '../src/index.js';

/** The example teacher's own architecture (cnn [4, 8], dense 16, on 28×28 digits). */
const sameModel: ModelDescription = { inputShape: [28, 28, 1], numClasses: 10, featureDim: 16, tapShapes: { block1: [14, 14, 4], block2: [7, 7, 8] } };
const field = 'tf-kd-self.teacher';

describe('loading the frozen teacher', () => {
  it('loads a checkpoint of the same model, whose forward pass gives [B, K] logits, and leaves no tensor behind once disposed', async () => {
    const before = tf.memory().numTensors;
    const teacher = await loadFrozenTeacher(EXAMPLE_TEACHER, sameModel, field);
    const logits = tf.tidy(() => teacher.forward(tf.zeros([3, 28, 28, 1]), false).logits.arraySync());
    expect(logits).toHaveLength(3);
    expect(logits[0]).toHaveLength(10);
    teacher.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['classes', { ...sameModel, numClasses: 100 }, /it has 10 classes, the model 100/],
    ['input shape', { ...sameModel, inputShape: [32, 32, 3] }, /its input shape is \[28, 28, 1\], the model's \[32, 32, 3\]/],
    ['architecture (another width)', { ...sameModel, tapShapes: { block1: [14, 14, 32], block2: [7, 7, 64] }, featureDim: 128 }, /architecture differs \(the teacher, a cnn: features 16, block1 \[14, 14, 4\], block2 \[7, 7, 8\]; the model: features 128/],
    ['architecture (an mlp)', { ...sameModel, featureDim: 16, tapShapes: { hidden1: [16] } }, /architecture differs/],
  ])('refuses a teacher with other %s: a ConfigError naming the option, the folder and what is allowed', async (_what, student, message) => {
    const before = tf.memory().numTensors;
    const attempt = loadFrozenTeacher(EXAMPLE_TEACHER, student, field);
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(loadFrozenTeacher(EXAMPLE_TEACHER, student, field)).rejects.toThrow(message);
    const error = (await loadFrozenTeacher(EXAMPLE_TEACHER, student, field).catch((e: unknown) => e)) as ConfigError;
    expect(error.issues[0]).toMatchObject({ path: field, value: EXAMPLE_TEACHER });
    expect(error.message).toMatch(/allowed: a selfkd run folder \(or a checkpoint folder inside one\) of the same model trained on the same data/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a missing folder, a folder that is not a run, and a damaged checkpoint are InputErrors naming the option and the folder', async () => {
    const missing = join(tmpdir(), 'selfkd-no-such-teacher');
    await expect(loadFrozenTeacher(missing, sameModel, field)).rejects.toThrow(InputError);
    await expect(loadFrozenTeacher(missing, sameModel, field)).rejects.toThrow(`tf-kd-self.teacher: "${missing}" cannot be read as the teacher (${missing} does not exist)`);
    const empty = await mkdtemp(join(tmpdir(), 'selfkd-teacher-'));
    await expect(loadFrozenTeacher(empty, sameModel, field)).rejects.toThrow(/is neither a selfkd run folder/);
    const damaged = await mkdtemp(join(tmpdir(), 'selfkd-teacher-'));
    await cp(EXAMPLE_TEACHER, damaged, { recursive: true });
    await writeFile(join(damaged, 'weights.bin'), new Uint8Array(16));
    await expect(loadFrozenTeacher(damaged, sameModel, field)).rejects.toThrow(InputError);
    await expect(loadFrozenTeacher(damaged, sameModel, field)).rejects.toThrow(/weights\.bin/);
  });
});

describe('the plugin', () => {
  it('owns no trainable variables, keeps no state, gives constant teacher logits in prepare and releases the teacher on dispose', async () => {
    const before = tf.memory().numTensors;
    const regularizer = plugin.create({ teacher: EXAMPLE_TEACHER, temperature: 6, weight: 0.95, name: 'tf-kd-self' }, { types: ['tf-kd-self'] });
    await regularizer.setup!({ model: sameModel, totalEpochs: 1, numTrainSamples: 10, rng: new Rng(0) });
    expect(regularizer.trainableVariables).toBeUndefined();
    expect(regularizer.state).toBeUndefined();
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 3);
    const info = { epoch: 0, totalEpochs: 1, step: 0, numClasses: 10, numTrainSamples: 10 };
    const context = { ...info, x, labels: Int32Array.of(1, 2), indices: Int32Array.of(0, 1), forward: () => { throw new Error('not the student'); }, rng: new Rng(1) };
    const teacherLogits = () => tf.tidy(() => (regularizer.prepare!(context) as { teacherLogits: tf.Tensor2D }).teacherLogits.arraySync());
    const first = teacherLogits();
    const second = teacherLogits();
    expect(second).toEqual(first);
    x.dispose();
    regularizer.dispose!();
    expect(tf.memory().numTensors).toBe(before);
  });
});
