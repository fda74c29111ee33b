import { WireType } from './wire-writer.js';

/** One field as it appears on the wire; `varint` values are unsigned 64-bit. */
export type ProtoField =
  | { field: number; wireType: typeof WireType.varint; value: bigint }
  | { field: number; wireType: typeof WireType.fixed64; value: DataView }
  | { field: number; wireType: typeof WireType.lengthDelimited; value: Uint8Array }
  | { field: number; wireType: typeof WireType.fixed32; value: DataView };

/**
 * Splits one protobuf message into its fields without a schema; the caller interprets them.
 * Throws on truncated input or a wire type protobuf has no longer used (groups).
 */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  const cursor = { offset: 0 };
  while (cursor.offset < bytes.length) {
    const key = readVarint(bytes, cursor);
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    const take = (n: number): Uint8Array => {
      if (cursor.offset + n > bytes.length) throw new Error(`protobuf field ${field} runs past the end of its message`);
      const slice = bytes.subarray(cursor.offset, cursor.offset + n);
      cursor.offset += n;
      return slice;
    };
    const view = (slice: Uint8Array) => new DataView(slice.buffer, slice.byteOffset, slice.byteLength);
    switch (wireType) {
      case WireType.varint:
        fields.push({ field, wireType, value: readVarint(bytes, cursor) });
        break;
      case WireType.fixed64:
        fields.push({ field, wireType, value: view(take(8)) });
        break;
      case WireType.lengthDelimited:
        fields.push({ field, wireType, value: take(Number(readVarint(bytes, cursor))) });
        break;
      case WireType.fixed32:
        fields.push({ field, wireType, value: view(take(4)) });
        break;
      default:
        throw new Error(`unsupported protobuf wire type ${wireType} (field ${field})`);
    }
  }
  return fields;
}

function readVarint(bytes: Uint8Array, cursor: { offset: number }): bigint {
  let result = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (cursor.offset >= bytes.length) throw new Error('protobuf varint runs past the end of its message');
    const byte = bytes[cursor.offset++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
  }
  throw new Error('protobuf varint longer than ten bytes');
}
