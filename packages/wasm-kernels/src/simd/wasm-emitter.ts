/**
 * Just enough of the WebAssembly binary format to emit a module of SIMD functions that import the
 * tfjs wasm backend's memory, so that they work on tensors in place. Writing the bytes here keeps
 * the package free of a toolchain; the few kernels using it are small loops.
 */

export const ValueType = { I32: 0x7f, V128: 0x7b } as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/** Unsigned LEB128. */
function u32(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128. */
function s32(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...u32(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...u32(content.length), ...content];
}

/** A function body under construction; each method appends one instruction. */
export class Code {
  readonly bytes: number[] = [];

  private op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  private simd(opcode: number, ...immediates: number[]): this {
    return this.op(0xfd, ...u32(opcode), ...immediates);
  }

  get(local: number): this {
    return this.op(0x20, ...u32(local));
  }
  set(local: number): this {
    return this.op(0x21, ...u32(local));
  }
  tee(local: number): this {
    return this.op(0x22, ...u32(local));
  }
  i32Const(value: number): this {
    return this.op(0x41, ...s32(value));
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...u32(depth));
  }
  end(): this {
    return this.op(0x0b);
  }
  /** v128.load with no alignment promise, `offset` bytes past the address on the stack. */
  v128Load(offset = 0): this {
    return this.simd(0x00, 0, ...u32(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, 0, ...u32(offset));
  }
  /** One f32 (4-byte aligned), `offset` bytes past the address, in all four lanes. */
  v128Load32Splat(offset = 0): this {
    return this.simd(0x09, 2, ...u32(offset));
  }
  v128Zero(): this {
    return this.simd(0x0c, ...Array<number>(16).fill(0));
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sqrt(): this {
    return this.simd(0xe3);
  }
  f32x4Div(): this {
    return this.simd(0xe7);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Max(): this {
    return this.simd(0xe9);
  }
  f32x4Eq(): this {
    return this.simd(0x41);
  }
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  /** a & ~b, with b on top of the stack. */
  v128AndNot(): this {
    return this.simd(0x4f);
  }
  v128Or(): this {
    return this.simd(0x50);
  }
}

export interface FunctionSpec {
  name: string;
  /** Parameters, all i32, are locals 0 … params − 1. */
  params: number;
  /** Further locals in order, after the parameters. */
  locals: ValueType[];
  body: Code;
}

/** A module importing `env.memory` and exporting the functions, none of which returns a value. */
export function emitModule(functions: FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(Array.from({ length: f.params }, () => [ValueType.I32])), ...vector([])]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...u32(0)];
  const codes = functions.map((f) => {
    const locals = vector(f.locals.map((type) => [...u32(1), type]));
    const body = [...locals, ...f.body.bytes, 0x0b];
    return [...u32(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => u32(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...u32(i)]))),
    ...section(10, vector(codes)),
  ]);
}
