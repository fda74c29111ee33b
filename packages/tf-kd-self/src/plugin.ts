import type * as tf from '@tensorflow/tfjs-core';
import { defineRegularizerPlugin, regularizerModule, z, type Regularizer } from '@selfkd/core';
import type { ClassifierModel } from '@selfkd/models';
import { EXAMPLE_TEACHER, EXAMPLE_TEACHER_MODEL } from './example-teacher.js';
import { loadFrozenTeacher } from './frozen-teacher.js';
import { tfKdSelfLoss } from './tf-kd-self-loss.js';

/** Defaults: the authors' ResNet-18 self-teacher setting (experiments/kd_experiments/resnet18_distill/resnet18_self_teacher). */
export const tfKdSelfOptions = z.strictObject({
  /** Run folder of the teacher: an earlier selfkd run of the same model on the same data. */
  teacher: z.string().min(1),
  temperature: z.number().finite().positive().default(6),
});

export type TfKdSelfOptions = z.infer<typeof tfKdSelfOptions>;

interface TeacherLogits {
  teacherLogits: tf.Tensor2D;
}

/**
 * The weight is the reference's α (0.95 by default); its `(1 − α)·CE` is the config's
 * `task: { weight: 0.05 }`, which the README shows, since a regularizer cannot reweight the task.
 */
export const plugin = defineRegularizerPlugin<TfKdSelfOptions>({
  type: 'tf-kd-self',
  description: 'Tf-KD-self: KD from a frozen earlier run of the same model, α·T²·KL(teacher ‖ student) with task weight 1 − α (Yuan et al. 2020)',
  options: tfKdSelfOptions,
  exampleOptions: { teacher: EXAMPLE_TEACHER },
  exampleModel: EXAMPLE_TEACHER_MODEL,
  defaultWeight: () => 0.95,
  create: ({ teacher: teacherDir, temperature, weight, name }): Regularizer<TeacherLogits> => {
    let teacher: ClassifierModel | undefined;
    return {
      type: 'tf-kd-self',
      name,
      weight,
      async setup({ model }) {
        teacher?.dispose();
        teacher = await loadFrozenTeacher(teacherDir, model, `${name}.teacher`);
      },
      // Outside the tape, so the teacher's logits are constants; BatchNorm uses its running statistics.
      prepare: (ctx) => {
        if (!teacher) throw new Error(`${name}: the teacher is loaded in setup, which has not run`);
        return { teacherLogits: teacher.forward(ctx.x, false).logits };
      },
      loss: (ctx, { teacherLogits }) => tfKdSelfLoss(ctx.logits, teacherLogits, { temperature }),
      dispose() {
        teacher?.dispose();
        teacher = undefined;
      },
    };
  },
});

export const module = regularizerModule(plugin);
