import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '@selfkd/core';

/** The standard tfjs layout (what tfjs-node's file:// handler writes): a JSON topology plus one binary weights file. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * An IOHandler that writes `dir/model.json` and `dir/weights.bin` (creating `dir`), for
 * `layersModel.save(fileSaveHandler(dir))`. tfjs-core has no file system handler of its own.
 */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error(`fileSaveHandler(${dir}): binary (GraphDef) topologies are not supported; save a LayersModel`);
      }
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        trainingConfig: artifacts.trainingConfig,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      await mkdir(dir, { recursive: true });
      // Each file is replaced whole (write, then rename), and model.json last, so a reader never
      // finds a truncated file or a topology whose weights are not there yet.
      await writeFileAtomic(join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** An IOHandler that reads what fileSaveHandler (or tfjs-node's file:// handler) wrote, for `tf.loadLayersModel`. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = join(dir, MODEL_JSON);
      const modelJson = JSON.parse(await readOrExplain(jsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const paths = manifest.flatMap((group) => group.paths);
        const shards = await Promise.all(paths.map((p) => readOrExplain(join(dir, p))));
        const buffers = shards.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        const specs = tf.io.getWeightSpecs(manifest);
        const data = tf.io.CompositeArrayBuffer.join(buffers);
        const expected = byteLength(specs);
        if (expected !== undefined && expected !== data.byteLength) {
          throw new Error(`${dir}: the weight files (${paths.join(', ')}) hold ${data.byteLength} bytes but ${MODEL_JSON} describes ${expected}`);
        }
        return [specs, data];
      });
    },
  };
}

async function readOrExplain(path: string): Promise<Buffer>;
async function readOrExplain(path: string, encoding: 'utf8'): Promise<string>;
async function readOrExplain(path: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return encoding ? await readFile(path, encoding) : await readFile(path);
  } catch (err) {
    throw new Error(`cannot read saved model file ${path}: ${(err as Error).message}`);
  }
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** Bytes the manifest's weights occupy, or undefined when a string weight makes it data-dependent. */
function byteLength(specs: tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const perElement = BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype];
    if (perElement === undefined) return undefined;
    total += perElement * spec.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}
