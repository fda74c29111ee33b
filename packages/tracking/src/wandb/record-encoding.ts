import { ProtoWriter } from '../protobuf/wire-writer.js';
import {
  HeaderRecordField,
  HistoryRecordField,
  HistoryStepField,
  ItemField,
  RecordField,
  RunExitRecordField,
  RunRecordField,
  TimestampField,
  UpdateRecordField,
  VersionInfoField,
  type WandbItem,
  type WandbRecord,
  type WandbRunInfo,
} from './record-schema.js';

/** One `wandb_internal.Record` in protobuf's binary form; `num` numbers the records of a run from 1. */
export function encodeWandbRecord(num: number, record: WandbRecord): Uint8Array {
  const out = new ProtoWriter().varint(RecordField.num, num);
  switch (record.kind) {
    case 'header':
      return out.message(RecordField.header, new ProtoWriter().message(HeaderRecordField.versionInfo, new ProtoWriter().string(VersionInfoField.producer, record.producer))).finish();
    case 'run':
      return out.message(RecordField.run, runRecord(record.run)).finish();
    case 'config':
      return out.message(RecordField.config, items(UpdateRecordField.update, record.update)).finish();
    case 'history':
      return out
        .message(RecordField.history, items(HistoryRecordField.item, record.items).message(HistoryRecordField.step, new ProtoWriter().varint(HistoryStepField.num, record.step)))
        .finish();
    case 'summary':
      return out.message(RecordField.summary, items(UpdateRecordField.update, record.update)).finish();
    case 'exit':
      return out
        .message(RecordField.exit, new ProtoWriter().varint(RunExitRecordField.exitCode, record.exitCode).varint(RunExitRecordField.runtime, Math.round(record.runtimeSeconds)))
        .finish();
    case 'final':
      return out.message(RecordField.final, new ProtoWriter()).finish();
  }
}

function runRecord(run: WandbRunInfo): ProtoWriter {
  const out = new ProtoWriter().string(RunRecordField.runId, run.runId);
  if (run.entity) out.string(RunRecordField.entity, run.entity);
  out.string(RunRecordField.project, run.project);
  if (run.config.length) out.message(RunRecordField.config, items(UpdateRecordField.update, run.config));
  if (run.displayName) out.string(RunRecordField.displayName, run.displayName);
  for (const tag of run.tags ?? []) out.string(RunRecordField.tags, tag);
  if (run.host) out.string(RunRecordField.host, run.host);
  const seconds = Math.floor(run.startTime / 1000);
  const nanos = Math.round((run.startTime - seconds * 1000) * 1e6);
  return out.message(RunRecordField.startTime, new ProtoWriter().varint(TimestampField.seconds, seconds).varint(TimestampField.nanos, nanos));
}

/** Repeated items under `field`, each a key and its value as JSON (HistoryItem, ConfigItem, SummaryItem). */
function items(field: number, entries: readonly WandbItem[]): ProtoWriter {
  const out = new ProtoWriter();
  for (const { key, valueJson } of entries) out.message(field, new ProtoWriter().string(ItemField.key, key).string(ItemField.valueJson, valueJson));
  return out;
}
