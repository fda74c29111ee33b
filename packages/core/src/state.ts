/** JSON values plus typed arrays, which checkpoints store as binary. */
export type StateValue =
  | null
  | boolean
  | number
  | string
  | Float32Array
  | Int32Array
  | StateValue[]
  | { [key: string]: StateValue };

export type SerializedState = { [key: string]: StateValue };
