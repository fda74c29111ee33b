import { fileURLToPath } from 'node:url';

/**
 * A checkpoint shipped with the package: EXAMPLE_TEACHER_MODEL trained for 3 epochs on 100
 * mnist-digits images (example-teacher/config.yaml). It is the teacher of the README's example
 * and of the conformance suite's tiny problem; its accuracy is that of a tiny run, not a good teacher.
 */
export const EXAMPLE_TEACHER = fileURLToPath(new URL('../example-teacher', import.meta.url));

/** The model the example teacher is (and a student of it must be). */
export const EXAMPLE_TEACHER_MODEL = { name: 'cnn', channels: [4, 8], dense: 16 };
