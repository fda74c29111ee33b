import { readFields, type ProtoField } from '../protobuf/wire-reader.js';
import {
  DataType,
  DimField,
  EventField,
  HistogramField,
  ImageField,
  MetadataField,
  PluginDataField,
  SummaryField,
  TensorField,
  TensorShapeField,
  ValueField,
  type Histogram,
  type SummaryValue,
  type TensorBoardEvent,
} from './event-schema.js';

/** A summary value of a kind this reader does not interpret (audio, PR curves, graphs, ...). */
export interface OtherSummaryValue {
  tag: string;
  kind: 'other';
  pluginName?: string;
}

export interface DecodedEvent extends Omit<TensorBoardEvent, 'values'> {
  values: (SummaryValue | OtherSummaryValue)[];
}

/**
 * Decodes a tensorflow.Event. Scalars come in both forms TensorBoard accepts: the legacy
 * `simple_value` (PyTorch, tensorboardX, selfkd) and a rank-0 float tensor tagged for the
 * `scalars` plugin (TensorFlow 2's tf.summary.scalar).
 */
export function decodeEvent(bytes: Uint8Array): DecodedEvent {
  const event: DecodedEvent = { wallTime: 0, step: 0, values: [] };
  for (const f of readFields(bytes)) {
    if (f.field === EventField.wallTime && f.wireType === 1) event.wallTime = f.value.getFloat64(0, true);
    else if (f.field === EventField.step && f.wireType === 0) event.step = Number(BigInt.asIntN(64, f.value));
    else if (f.field === EventField.fileVersion && f.wireType === 2) event.fileVersion = text(f.value);
    else if (f.field === EventField.summary && f.wireType === 2) {
      for (const v of readFields(f.value)) if (v.field === SummaryField.value && v.wireType === 2) event.values.push(decodeValue(v.value));
    }
  }
  return event;
}

function decodeValue(bytes: Uint8Array): SummaryValue | OtherSummaryValue {
  const fields = readFields(bytes);
  const tag = text(bytesOf(fields, ValueField.tag) ?? new Uint8Array());
  const simple = fields.find((f) => f.field === ValueField.simpleValue && f.wireType === 5);
  if (simple && simple.wireType === 5) return { tag, kind: 'scalar', value: simple.value.getFloat32(0, true) };
  const image = bytesOf(fields, ValueField.image);
  if (image) return { tag, kind: 'image', ...decodeImage(image) };
  const histogram = bytesOf(fields, ValueField.histogram);
  if (histogram) return { tag, kind: 'histogram', histogram: decodeHistogram(histogram) };
  const metadata = bytesOf(fields, ValueField.metadata);
  const pluginName = metadata ? pluginNameOf(metadata) : undefined;
  const tensor = bytesOf(fields, ValueField.tensor);
  if (tensor && pluginName === 'scalars') {
    const value = tensorScalar(tensor);
    if (value !== undefined) return { tag, kind: 'scalar', value };
  }
  if (tensor && pluginName === 'text') {
    const strings = readFields(tensor).filter((f) => f.field === TensorField.stringVal && f.wireType === 2);
    if (strings.length > 0) return { tag, kind: 'text', text: strings.map((s) => text(s.value as Uint8Array)).join('\n') };
  }
  return { tag, kind: 'other', ...(pluginName === undefined ? {} : { pluginName }) };
}

function decodeImage(bytes: Uint8Array): { width: number; height: number; png: Uint8Array } {
  const fields = readFields(bytes);
  return {
    height: Number(varintOf(fields, ImageField.height) ?? 0n),
    width: Number(varintOf(fields, ImageField.width) ?? 0n),
    // A copy, not a view into the whole file.
    png: new Uint8Array(bytesOf(fields, ImageField.encoded) ?? []),
  };
}

function decodeHistogram(bytes: Uint8Array): Histogram {
  const fields = readFields(bytes);
  const double = (field: number) => {
    const f = fields.find((x) => x.field === field && x.wireType === 1);
    return f && f.wireType === 1 ? f.value.getFloat64(0, true) : 0;
  };
  return {
    min: double(HistogramField.min),
    max: double(HistogramField.max),
    num: double(HistogramField.num),
    sum: double(HistogramField.sum),
    sumSquares: double(HistogramField.sumSquares),
    bucketLimits: repeatedNumbers(fields, HistogramField.bucketLimit, 8),
    bucketCounts: repeatedNumbers(fields, HistogramField.bucket, 8),
  };
}

function pluginNameOf(metadata: Uint8Array): string | undefined {
  const pluginData = bytesOf(readFields(metadata), MetadataField.pluginData);
  const name = pluginData ? bytesOf(readFields(pluginData), PluginDataField.pluginName) : undefined;
  return name ? text(name) : undefined;
}

/** The single number of a rank-0 (or one-element) float or double tensor. */
function tensorScalar(bytes: Uint8Array): number | undefined {
  const fields = readFields(bytes);
  const dtype = Number(varintOf(fields, TensorField.dtype) ?? 0n);
  const shape = bytesOf(fields, TensorField.shape);
  const elements = shape
    ? readFields(shape)
        .filter((f) => f.field === TensorShapeField.dim && f.wireType === 2)
        .reduce((n, dim) => n * Number(varintOf(readFields(dim.value as Uint8Array), DimField.size) ?? 1n), 1)
    : 1;
  if (elements !== 1) return undefined;
  const content = bytesOf(fields, TensorField.content);
  const view = content && new DataView(content.buffer, content.byteOffset, content.byteLength);
  if (dtype === DataType.float) {
    if (view && view.byteLength >= 4) return view.getFloat32(0, true);
    return repeatedNumbers(fields, TensorField.floatVal, 4)[0];
  }
  if (dtype === DataType.double) {
    if (view && view.byteLength >= 8) return view.getFloat64(0, true);
    return repeatedNumbers(fields, TensorField.doubleVal, 8)[0];
  }
  return undefined;
}

function bytesOf(fields: ProtoField[], field: number): Uint8Array | undefined {
  const f = fields.find((x) => x.field === field && x.wireType === 2);
  return f?.value as Uint8Array | undefined;
}

function varintOf(fields: ProtoField[], field: number): bigint | undefined {
  const f = fields.find((x) => x.field === field && x.wireType === 0);
  return f?.value as bigint | undefined;
}

/** A repeated float (4-byte) or double (8-byte) field, packed (one length-delimited run) or one value per key. */
function repeatedNumbers(fields: ProtoField[], field: number, width: 4 | 8): number[] {
  const read = (view: DataView, at: number) => (width === 8 ? view.getFloat64(at, true) : view.getFloat32(at, true));
  return fields.flatMap((f) => {
    if (f.field !== field) return [];
    if (f.wireType === 1 || f.wireType === 5) return f.value.byteLength === width ? [read(f.value, 0)] : [];
    if (f.wireType !== 2) return [];
    const view = new DataView(f.value.buffer, f.value.byteOffset, f.value.byteLength);
    return Array.from({ length: Math.floor(f.value.length / width) }, (_, i) => read(view, i * width));
  });
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
