/** Protocol-buffer wire types (the low three bits of a field key). */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

const UTF8 = new TextEncoder();

/**
 * Appends protobuf fields in the binary wire format, just what TensorBoard's messages need:
 * varints (int32/int64/enum), doubles, floats, strings/bytes and nested messages. Field order is
 * the caller's; proto3 readers accept any order.
 */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private key(field: number, wireType: number): this {
    return this.push(varintBytes(field * 8 + wireType));
  }

  /** int32, int64, uint64 and enum fields; negative values take ten bytes, as protobuf specifies. */
  varint(field: number, value: number | bigint): this {
    const unsigned = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : BigInt.asUintN(64, BigInt(value));
    return this.key(field, WireType.varint).push(varintBytes(unsigned));
  }

  double(field: number, value: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    return this.key(field, WireType.fixed64).push(bytes);
  }

  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.key(field, WireType.fixed32).push(bytes);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.key(field, WireType.lengthDelimited).push(varintBytes(value.length)).push(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, UTF8.encode(value));
  }

  message(field: number, body: ProtoWriter): this {
    return this.bytes(field, body.finish());
  }

  /** A packed repeated double field (proto3's default encoding for repeated scalars). */
  packedDoubles(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat64(i * 8, v, true));
    return this.bytes(field, bytes);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

/** Base-128, least significant group first; plain numbers for the common case, bigint above 2^53. */
function varintBytes(value: number | bigint): Uint8Array {
  const bytes: number[] = [];
  if (typeof value === 'number') {
    let v = value;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
    return Uint8Array.from(bytes);
  }
  let v = value;
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Uint8Array.from(bytes);
}
