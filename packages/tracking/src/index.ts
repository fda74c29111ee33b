export { createTrackingReporter, DEFAULT_EXPERIMENT, type TrackingOptions } from './tracking-reporter.js';
export type { TrackingContext, ReporterFactory } from './tracking-context.js';
export { guardReporter } from './guarded-reporter.js';
// The trainer owns it; re-exported so that a tracking user needs one import.
export { combineReporters } from '@selfkd/trainer';
export { createTensorBoardReporter, type TensorBoardOptions } from './tensorboard/tensorboard-reporter.js';
export { EventFileWriter, type EventFileWriterOptions } from './tensorboard/event-file-writer.js';
export { readEventFile, eventFilesIn, type EventFileContents } from './tensorboard/event-file-reader.js';
export { encodeEvent } from './tensorboard/event-encoding.js';
export { decodeEvent, type DecodedEvent, type OtherSummaryValue } from './tensorboard/event-decoding.js';
export { frameRecord, scanRecords, type RecordScan } from './tensorboard/tfrecord.js';
export { FILE_VERSION, type Histogram, type SummaryValue, type TensorBoardEvent } from './tensorboard/event-schema.js';
export { createMlflowReporter, type MlflowOptions } from './mlflow/mlflow-reporter.js';
export { MlflowRunWriter, RunStatus } from './mlflow/mlflow-file-store.js';
export { crc32, crc32c, maskedCrc32c } from './crc.js';
export { encodePng } from './images/png.js';
