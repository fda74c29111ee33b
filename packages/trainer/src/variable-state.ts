import * as tf from '@tensorflow/tfjs-core';
import type { SerializedState } from '@selfkd/core';

/** The values of an ordered list of variables, for a checkpoint (typed arrays go to its binary part). */
export async function saveVariables(variables: readonly tf.Variable[]): Promise<SerializedState> {
  return { shapes: variables.map((v) => v.shape.slice()), values: (await Promise.all(variables.map((v) => v.data()))) as Float32Array[] };
}

/** Assigns what `saveVariables` wrote back to the same variables, in the same order; `owner` names them in errors. */
export function loadVariables(variables: readonly tf.Variable[], saved: SerializedState | undefined, owner: string): void {
  const shapes = saved?.shapes as number[][] | undefined;
  const values = saved?.values as Float32Array[] | undefined;
  if (!shapes || !values || values.length !== variables.length) {
    throw new Error(`the checkpoint holds ${values?.length ?? 'no'} variables of "${owner}", which owns ${variables.length}`);
  }
  variables.forEach((v, i) => {
    if (JSON.stringify(shapes[i]) !== JSON.stringify(v.shape)) {
      throw new Error(`variable ${i} of "${owner}" has shape [${v.shape.join(', ')}], the checkpoint's has [${shapes[i]!.join(', ')}]`);
    }
    tf.tidy(() => v.assign(tf.tensor(values[i]!, v.shape)));
  });
}
