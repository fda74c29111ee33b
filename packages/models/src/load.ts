import * as tfl from '@tensorflow/tfjs-layers';
import { LayersClassifier, type ClassifierModel } from './classifier.js';
import { fileLoadHandler } from './file-io.js';

/** Loads what `ClassifierModel.save(dir)` wrote, weights and BatchNorm running statistics included. */
export async function loadModel(dir: string): Promise<ClassifierModel> {
  const layersModel = await tfl.loadLayersModel(fileLoadHandler(dir));
  try {
    return new LayersClassifier(layersModel);
  } catch (err) {
    layersModel.dispose();
    throw new Error(`${dir} does not hold a selfkd model: ${(err as Error).message}`);
  }
}
