/**
 * Field numbers of the part of W&B's `wandb_internal.proto` (package wandb_internal) that selfkd
 * writes. W&B marks these messages "persistent on disk data (BE CAREFUL)": their numbers have not
 * changed since the format appeared. A test pins every number here against that file.
 */
export const RecordField = {
  num: 1,
  history: 2,
  summary: 3,
  config: 5,
  run: 17,
  exit: 18,
  final: 20,
  header: 21,
} as const;

export const RunRecordField = { runId: 1, entity: 2, project: 3, config: 4, displayName: 8, tags: 10, host: 13, startTime: 17 } as const;
/** HistoryRecord: items and the step they form. */
export const HistoryRecordField = { item: 1, step: 2 } as const;
export const HistoryStepField = { num: 1 } as const;
/** ConfigRecord and SummaryRecord: items to set (`update`). */
export const UpdateRecordField = { update: 1 } as const;
/** HistoryItem, ConfigItem and SummaryItem share these numbers: a key and its value as JSON. */
export const ItemField = { key: 1, valueJson: 16 } as const;
export const RunExitRecordField = { exitCode: 1, runtime: 2 } as const;
export const HeaderRecordField = { versionInfo: 1 } as const;
export const VersionInfoField = { producer: 1 } as const;
/** google.protobuf.Timestamp. */
export const TimestampField = { seconds: 1, nanos: 2 } as const;

/** A key and its JSON-encoded value: one config entry, history value or summary value. */
export interface WandbItem {
  key: string;
  valueJson: string;
}

export interface WandbRunInfo {
  runId: string;
  project: string;
  entity?: string;
  displayName?: string;
  tags?: readonly string[];
  host?: string;
  /** Milliseconds since the Unix epoch. */
  startTime: number;
  config: readonly WandbItem[];
}

/** The records selfkd writes, in the order a run writes them: header, run, history…, summary, exit, final. */
export type WandbRecord =
  | { kind: 'header'; producer: string }
  | { kind: 'run'; run: WandbRunInfo }
  | { kind: 'config'; update: readonly WandbItem[] }
  | { kind: 'history'; step: number; items: readonly WandbItem[] }
  | { kind: 'summary'; update: readonly WandbItem[] }
  | { kind: 'exit'; exitCode: number; runtimeSeconds: number }
  | { kind: 'final' };
