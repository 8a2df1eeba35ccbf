// Loads the USE-lite TF.js graph model through a custom IOHandler, so Node (files on disk) and the
// browser (bundled asset URLs with hashed names) share one path: the caller only says how to get
// the bytes of model.json and of each weight shard named in its manifest.
import * as tf from '@tensorflow/tfjs';
import type { VocabularyEntry } from './sentencePiece';

/** Reads one weight shard by the file name model.json's manifest gives (e.g. "group1-shard1of7"). */
export type ShardReader = (shardName: string) => Promise<ArrayBuffer>;

export function shardNames(modelJson: tf.io.ModelJSON): string[] {
  return modelJson.weightsManifest.flatMap((group) => group.paths);
}

/** An IOHandler that hands tfjs the topology and the weight shards concatenated in manifest order. */
export function graphModelHandler(modelJson: tf.io.ModelJSON, readShard: ShardReader): tf.io.IOHandler {
  return {
    load: () =>
      tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const names = manifest.flatMap((group) => group.paths);
        const buffers = await Promise.all(names.map(readShard));
        return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(buffers)];
      }),
  };
}

export async function loadGraphModelFrom(modelJson: tf.io.ModelJSON, readShard: ShardReader): Promise<tf.GraphModel> {
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error('USE-lite model.json has no modelTopology or weightsManifest: is it a TF.js graph model?');
  }
  return tf.loadGraphModel(graphModelHandler(modelJson, readShard));
}

/** Checks the parsed vocab.json is `[[piece, score], ...]` before the tokenizer trusts it. */
export function asVocabulary(value: unknown): VocabularyEntry[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error('USE-lite vocab.json is not a non-empty array of [piece, score] pairs.');
  }
  value.forEach((row, index) => {
    const ok = Array.isArray(row) && typeof row[0] === 'string' && (typeof row[1] === 'number' || row[1] === null);
    if (!ok) throw new Error(`USE-lite vocab.json row ${index} is not [piece, score]: ${JSON.stringify(row)}.`);
  });
  return value as VocabularyEntry[];
}
