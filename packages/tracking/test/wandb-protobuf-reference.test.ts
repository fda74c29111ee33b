import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWithReference } from './support/protobuf-reference.js';
import { OfflineRunWriter } from '../src/wandb/offline-run-writer.js';
import { createWandbReporter } from '../src/wandb/wandb-reporter.js';
import { offlineRunLog, offlineRunsIn, readOfflineRun } from '../src/wandb/offline-run-reader.js';
import { simulateRun } from './support/simulated-run.js';

type ReferenceRecord = Record<string, unknown> & { num: string };

const decodeWithProtobuf = (file: string) => decodeWithReference<ReferenceRecord[]>('decode_wandb.py', file);

describe('offline W&B runs read by an independent reader and Google protobuf', () => {
  it('a simulated run parses to the wandb_internal.Record fields W&B defines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfkd-wandb-pb-'));
    simulateRun(createWandbReporter({ dir, project: 'kd', entity: 'lab' }, { runName: 'quick', config: { seed: 1, train: { epochs: 2 } } }));
    const [runDir] = offlineRunsIn(dir);
    const ours = readOfflineRun(runDir!).records;
    const reference = await decodeWithProtobuf(offlineRunLog(runDir!));

    expect(reference.map((r) => Object.keys(r).find((k) => k !== 'num'))).toEqual(ours.map((r) => r.kind));
    expect(reference.map((r) => Number(r.num))).toEqual(ours.map((r) => r.num));
    expect(reference[0]).toEqual({ num: '1', header: { version_info: { producer: 'selfkd' } } });
    const run = reference[1]!.run as Record<string, unknown>;
    expect(run).toMatchObject({ project: 'kd', entity: 'lab', display_name: 'quick' });
    expect(run.run_id).toMatch(/^[a-z0-9]{8}$/);
    const start = run.start_time as { seconds: string; nanos?: number };
    expect(Math.abs(Number(start.seconds) * 1000 + (start.nanos ?? 0) / 1e6 - Date.now())).toBeLessThan(60_000);
    expect((run.config as { update: { key: string; value_json: string }[] }).update.slice(0, 2)).toEqual([
      { key: 'seed', value_json: '1' },
      { key: 'train', value_json: '{"epochs":2}' },
    ]);
    const history = reference.filter((r) => 'history' in r).map((r) => r.history as { item: { key: string; value_json: string }[]; step?: { num?: string } });
    // proto3 leaves a zero step out of the wire form: the first row's step is absent, i.e. 0.
    expect(history.map((h) => Number(h.step?.num ?? 0))).toEqual(history.map((_, i) => i));
    const epochRow = Object.fromEntries(history[3]!.item.map((i) => [i.key, JSON.parse(i.value_json)]));
    expect(epochRow).toMatchObject({ 'test/top1': 0.5, epoch: 1, _step: 3 });
    // exit_code 0 and a runtime under half a second are proto3 defaults, so both are absent.
    expect(reference.at(-2)).toEqual({ num: String(ours.length - 1), exit: {} });
    expect(reference.at(-1)).toEqual({ num: String(ours.length), final: {} });
  });

  it('a record larger than a block is split into chunks that the reference reassembles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfkd-wandb-pb-'));
    const notes = 'x'.repeat(80_000);
    const writer = new OfflineRunWriter({ dir, producer: 'selfkd', run: { project: 'kd', config: [{ key: 'notes', valueJson: JSON.stringify(notes) }] } });
    writer.append({ kind: 'history', step: 0, items: [{ key: 'a', valueJson: '1' }] });
    writer.close([{ key: 'a', valueJson: '1' }], 1, 3);
    const reference = await decodeWithProtobuf(writer.logPath);
    expect((reference[1]!.run as { config: { update: { value_json: string }[] } }).config.update[0]!.value_json).toBe(JSON.stringify(notes));
    expect(reference.map((r) => Object.keys(r).find((k) => k !== 'num'))).toEqual(['header', 'run', 'history', 'summary', 'exit', 'final']);
    expect(reference[4]).toEqual({ num: '5', exit: { exit_code: 1, runtime: 3 } });
  });
});
