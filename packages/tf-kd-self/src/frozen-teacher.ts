import { ConfigError, InputError, type ModelDescription } from '@selfkd/core';
import { loadModel, type ClassifierModel } from '@selfkd/models';
import { openCheckpoint } from '@selfkd/trainer';

const ALLOWED = 'a selfkd run folder (or a checkpoint folder inside one) of the same model trained on the same data';

/**
 * Loads the latest intact checkpoint of `dir` as the teacher and checks that it is the student's
 * architecture on the student's data. `field` names the option in errors (e.g. `tf-kd-self.teacher`).
 * The returned model is never trained: the caller keeps it out of the optimizer and disposes it.
 */
export async function loadFrozenTeacher(dir: string, student: ModelDescription, field: string): Promise<ClassifierModel> {
  let teacher: ClassifierModel;
  try {
    const checkpoint = await openCheckpoint(dir);
    teacher = await loadModel(checkpoint.dir);
  } catch (err) {
    throw new InputError(`${field}: ${JSON.stringify(dir)} cannot be read as the teacher (${(err as Error).message}); allowed: ${ALLOWED}`);
  }
  const mismatch = describeMismatch(teacher, student);
  if (mismatch) {
    teacher.dispose();
    throw new ConfigError([{ path: field, value: dir, message: `the teacher does not match the model: ${mismatch}; allowed: ${ALLOWED}` }]);
  }
  return teacher;
}

/**
 * Input shape and classes must be equal; the architecture is compared through what the trainer
 * tells a regularizer about the model: the width of its features and the names and shapes of its taps.
 */
function describeMismatch(teacher: ClassifierModel, student: ModelDescription): string | undefined {
  const shape = (s: readonly number[]) => `[${s.join(', ')}]`;
  if (shape(teacher.inputShape) !== shape(student.inputShape)) {
    return `its input shape is ${shape(teacher.inputShape)}, the model's ${shape(student.inputShape)}`;
  }
  if (teacher.numClasses !== student.numClasses) return `it has ${teacher.numClasses} classes, the model ${student.numClasses}`;
  const layout = (featureDim: number, taps: Readonly<Record<string, readonly number[]>>) =>
    [`features ${featureDim}`, ...Object.keys(taps).sort().map((tap) => `${tap} ${shape(taps[tap]!)}`)].join(', ');
  const teacherLayout = layout(teacher.featureDim, teacher.tapShapes);
  const studentLayout = layout(student.featureDim, student.tapShapes);
  if (teacherLayout !== studentLayout) {
    return `its architecture differs (the teacher, a ${teacher.kind}: ${teacherLayout}; the model: ${studentLayout})`;
  }
  return undefined;
}
