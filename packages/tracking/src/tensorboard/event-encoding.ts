import { ProtoWriter } from '../protobuf/wire-writer.js';
import {
  DataClass,
  DataType,
  EventField,
  HistogramField,
  ImageField,
  MetadataField,
  PluginDataField,
  RGB_COLORSPACE,
  SummaryField,
  TensorField,
  ValueField,
  type SummaryValue,
  type TensorBoardEvent,
} from './event-schema.js';

/** A tensorflow.Event message. */
export function encodeEvent(event: TensorBoardEvent): Uint8Array {
  const message = new ProtoWriter().double(EventField.wallTime, event.wallTime);
  // proto3 leaves zero-valued fields out; TensorFlow's own file_version record has no step.
  if (event.step !== 0) message.varint(EventField.step, event.step);
  if (event.fileVersion !== undefined) message.string(EventField.fileVersion, event.fileVersion);
  if (event.values.length > 0) {
    const summary = new ProtoWriter();
    for (const value of event.values) summary.message(SummaryField.value, encodeValue(value));
    message.message(EventField.summary, summary);
  }
  return message.finish();
}

function encodeValue(value: SummaryValue): ProtoWriter {
  const message = new ProtoWriter().string(ValueField.tag, value.tag);
  switch (value.kind) {
    // A plain simple_value: what TensorBoard's scalar dashboard has always read (it converts it
    // to its tensor form on load), and what PyTorch's SummaryWriter writes.
    case 'scalar':
      return message.float(ValueField.simpleValue, value.value);
    // Text has no field of its own: a string tensor tagged for the text plugin.
    case 'text':
      return message
        .message(ValueField.metadata, pluginMetadata('text', DataClass.tensor))
        .message(ValueField.tensor, new ProtoWriter().varint(TensorField.dtype, DataType.string).message(TensorField.shape, new ProtoWriter()).string(TensorField.stringVal, value.text));
    case 'image':
      return message.message(
        ValueField.image,
        new ProtoWriter()
          .varint(ImageField.height, value.height)
          .varint(ImageField.width, value.width)
          .varint(ImageField.colorspace, RGB_COLORSPACE)
          .bytes(ImageField.encoded, value.png),
      );
    case 'histogram': {
      const h = value.histogram;
      return message.message(
        ValueField.histogram,
        new ProtoWriter()
          .double(HistogramField.min, h.min)
          .double(HistogramField.max, h.max)
          .double(HistogramField.num, h.num)
          .double(HistogramField.sum, h.sum)
          .double(HistogramField.sumSquares, h.sumSquares)
          .packedDoubles(HistogramField.bucketLimit, h.bucketLimits)
          .packedDoubles(HistogramField.bucket, h.bucketCounts),
      );
    }
  }
}

function pluginMetadata(pluginName: string, dataClass: number): ProtoWriter {
  return new ProtoWriter()
    .message(MetadataField.pluginData, new ProtoWriter().string(PluginDataField.pluginName, pluginName))
    .varint(MetadataField.dataClass, dataClass);
}
