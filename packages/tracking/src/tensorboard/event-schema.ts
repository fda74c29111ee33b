/**
 * Field numbers of the TensorFlow messages an event file holds (tensorflow/core/util/event.proto,
 * tensorflow/core/framework/{summary,tensor,tensor_shape}.proto), and the plugin names TensorBoard
 * dispatches on. Only the fields selfkd writes or reads are listed.
 */
export const EventField = { wallTime: 1, step: 2, fileVersion: 3, summary: 5 } as const;
export const SummaryField = { value: 1 } as const;
export const ValueField = { tag: 1, simpleValue: 2, image: 4, histogram: 5, tensor: 8, metadata: 9 } as const;
export const MetadataField = { pluginData: 1, dataClass: 4 } as const;
export const PluginDataField = { pluginName: 1, content: 2 } as const;
export const ImageField = { height: 1, width: 2, colorspace: 3, encoded: 4 } as const;
export const HistogramField = { min: 1, max: 2, num: 3, sum: 4, sumSquares: 5, bucketLimit: 6, bucket: 7 } as const;
export const TensorField = { dtype: 1, shape: 2, content: 4, floatVal: 5, doubleVal: 6, stringVal: 8 } as const;
export const TensorShapeField = { dim: 2 } as const;
export const DimField = { size: 1 } as const;

/** tensorflow.DataType values. */
export const DataType = { float: 1, double: 2, string: 7 } as const;
/** SummaryMetadata.DataClass: how TensorBoard's data providers file a tensor summary. */
export const DataClass = { scalar: 1, tensor: 2 } as const;
/** Summary.Image.colorspace for RGB. */
export const RGB_COLORSPACE = 3;

/** The first record of every event file; TensorBoard reads the version to pick its parser. */
export const FILE_VERSION = 'brain.Event:2';

export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Upper edge of each bucket; the last is usually +Infinity-like (a large value). */
  bucketLimits: number[];
  /** Count of each bucket, parallel to `bucketLimits`. */
  bucketCounts: number[];
}

export type SummaryValue =
  | { tag: string; kind: 'scalar'; value: number }
  | { tag: string; kind: 'text'; text: string }
  | { tag: string; kind: 'image'; width: number; height: number; png: Uint8Array }
  | { tag: string; kind: 'histogram'; histogram: Histogram };

export interface TensorBoardEvent {
  /** Seconds since the Unix epoch. */
  wallTime: number;
  step: number;
  fileVersion?: string;
  values: SummaryValue[];
}
