import { describe, expect, it } from 'vitest';
import { readFields } from '../src/protobuf/wire-reader.js';
import { ProtoWriter } from '../src/protobuf/wire-writer.js';
import { encodeEvent } from '../src/tensorboard/event-encoding.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('protobuf wire encoding', () => {
  it('writes the examples of the protobuf encoding guide byte for byte', () => {
    expect(hex(new ProtoWriter().varint(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    // A negative int64 is sign-extended to 64 bits: ten varint bytes.
    expect(hex(new ProtoWriter().varint(1, -1).finish())).toBe('08ffffffffffffffffff01');
    expect(hex(new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).finish())).toBe('1a03089601');
  });

  it('writes doubles and floats little-endian after their key', () => {
    // 1.5 = 0x3ff8000000000000; 0.25f = 0x3e800000
    expect(hex(new ProtoWriter().double(1, 1.5).finish())).toBe('09000000000000f83f');
    expect(hex(new ProtoWriter().float(2, 0.25).finish())).toBe('150000803e');
    expect(hex(new ProtoWriter().packedDoubles(6, [1.5, -2]).finish())).toBe('3210000000000000f83f00000000000000c0');
  });

  it('reads back what it writes, including 64-bit varints', () => {
    const bytes = new ProtoWriter().varint(1, 2n ** 40n + 3n).string(2, 'é').double(3, -0.5).float(4, 3).finish();
    const fields = readFields(bytes);
    expect(fields.map((f) => [f.field, f.wireType])).toEqual([[1, 0], [2, 2], [3, 1], [4, 5]]);
    expect(fields[0]!.value).toBe(2n ** 40n + 3n);
    expect(new TextDecoder().decode(fields[1]!.value as Uint8Array)).toBe('é');
    expect((fields[2]!.value as DataView).getFloat64(0, true)).toBe(-0.5);
    expect((fields[3]!.value as DataView).getFloat32(0, true)).toBe(3);
  });

  it('refuses a message cut inside a field', () => {
    expect(() => readFields(Uint8Array.of(0x12, 0x07, 0x74))).toThrow(/field 2 runs past the end/);
    expect(() => readFields(Uint8Array.of(0x08, 0x96))).toThrow(/varint runs past the end/);
  });
});

describe('tensorflow.Event encoding', () => {
  it('encodes a scalar event as computed by hand from event.proto and summary.proto', () => {
    const bytes = encodeEvent({ wallTime: 1.5, step: 300, values: [{ tag: 'a', kind: 'scalar', value: 0.25 }] });
    // wall_time (1, double) | step (2, varint 300 = ac 02) | summary (5, 10 bytes) { value (1, 8 bytes)
    // { tag (1) "a" | simple_value (2, float) 0.25 } }
    expect(hex(bytes)).toBe('09' + '000000000000f83f' + '10ac02' + '2a0a' + '0a08' + '0a0161' + '150000803e');
  });

  it('encodes text as a string tensor for the text plugin, as computed by hand', () => {
    const bytes = encodeEvent({ wallTime: 0, step: 1, values: [{ tag: 't', kind: 'text', text: 'hi' }] });
    const value =
      '0a0174' + // tag "t"
      '4a0a' + '0a06' + '0a0474657874' + '2002' + // metadata (9): plugin_data { plugin_name "text" }, data_class TENSOR
      '4208' + '0807' + '1200' + '42026869'; // tensor (8): dtype DT_STRING, shape {}, string_val "hi"
    expect(hex(bytes)).toBe('090000000000000000' + '1001' + '2a1b' + '0a19' + value);
  });

  it('encodes an image with height, width, RGB colorspace and the PNG bytes', () => {
    const bytes = encodeEvent({ wallTime: 0, step: 0, values: [{ tag: 'i', kind: 'image', width: 2, height: 3, png: Uint8Array.of(0xab) }] });
    // image (4): height (1) 3, width (2) 2, colorspace (3) 3, encoded_image_string (4) ab
    expect(hex(bytes)).toBe('090000000000000000' + '2a10' + '0a0e' + '0a0169' + '2209' + '0803' + '1002' + '1803' + '2201ab');
  });
});
