import type { SerializedState, StateValue } from '@selfkd/core';

/**
 * Splits a state tree into JSON plus one binary blob: typed arrays become
 * `{"$typed": "float32"|"int32", "offset", "length"}` references into the blob, so large
 * tables (PS-KD's memory) are not written as JSON numbers.
 */
export function encodeState(state: SerializedState): { json: unknown; blob: Buffer } {
  const chunks: Buffer[] = [];
  let offset = 0;
  const walk = (value: StateValue): unknown => {
    if (value instanceof Float32Array || value instanceof Int32Array) {
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      const ref = { $typed: value instanceof Float32Array ? 'float32' : 'int32', offset, length: value.length };
      chunks.push(Buffer.from(bytes));
      offset += bytes.length;
      return ref;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  const json = walk(state);
  return { json, blob: Buffer.concat(chunks) };
}

export function decodeState(json: unknown, blob: Buffer): SerializedState {
  const walk = (value: unknown): StateValue => {
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      const ref = value as { $typed?: string; offset?: number; length?: number };
      if (ref.$typed === 'float32' || ref.$typed === 'int32') {
        const bytes = blob.subarray(ref.offset!, ref.offset! + ref.length! * 4);
        const copy = new Uint8Array(bytes).buffer;
        return ref.$typed === 'float32' ? new Float32Array(copy) : new Int32Array(copy);
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value as StateValue;
  };
  return walk(json) as SerializedState;
}
