// The scorer and the state encoder of a browser session, from their config names (see
// der/componentNames.ts): GloVe / exact match / BERTScore (Transformers.js, any BERT-like model
// and layer), and USE-lite / a Transformers.js sentence encoder ("minilm:<model>").
import type { Scorer, StateEncoder } from '../der/types';
import { parseEncoderName, parseScorerName } from '../der/componentNames';
import { loadGloveFromUrl } from '../scoring/gloveBrowser';
import { createGloveScorer } from '../scoring/gloveScorer';
import { createExactMatchScorer } from '../scoring/exactMatch';
import type { BertScorer } from '../scoring/bertScore';
import { loadUseLiteBrowser } from '../encoders/useLiteBrowser';
import { loadTransformersEncoder } from '../encoders/transformersEncoder';
import { createGloveMeanEncoder } from '../encoders/gloveMeanEncoder';
import { withEmbeddingCache } from '../encoders/embeddingCache';
import type { BrowserDevice, ModelLoadProgress } from '../experts/browserExpert';

export interface ComponentLoadOptions {
  baseUrl: string;
  /** Transformers.js device (undefined: its default). */
  device?: BrowserDevice;
  onModelProgress?: (progress: ModelLoadProgress) => void;
  onUseLiteProgress?: (loadedFiles: number, totalFiles: number) => void;
}

export interface LoadedScorer {
  scorer: Scorer;
  /** Which layer BERTScore reads and how (null for other scorers). */
  detail: string | null;
  /** BERTScore's idf switch (set once the training references are known). */
  bert: BertScorer | null;
  /** The name asked for idf weights ("bertscore:<model>@<layer>+idf"): call bert.setIdfReferences with the training references. */
  wantsIdf: boolean;
  dispose(): Promise<void>;
}

/** A bundled model folder ("tiny-bert") rather than a hub id ("org/name"): it ships fp32 weights only. */
function isLocalFolder(model: string): boolean {
  return !model.includes('/');
}

/** "+idf" after a BERTScore name asks for idf weights over the training references. */
export async function loadBrowserScorer(name: string, options: ComponentLoadOptions): Promise<LoadedScorer> {
  const choice = parseScorerName(name);
  if (!choice) throw new Error(`Unknown scorer "${name}": use glove, exact-match or bertscore:<model>@<layer> (optionally +idf).`);
  if (choice.kind === 'glove') {
    const scorer = createGloveScorer(await loadGloveFromUrl(new URL('models/glove/', options.baseUrl).href));
    return { scorer, detail: null, bert: null, wantsIdf: false, dispose: async () => {} };
  }
  if (choice.kind === 'exact-match') return { scorer: createExactMatchScorer(), detail: null, bert: null, wantsIdf: false, dispose: async () => {} };
  // Loaded on demand: Transformers.js and onnxruntime stay out of sessions that do not use them.
  const [{ createBertScorer }, { isHubModelId }] = await Promise.all([import('../scoring/bertScore'), import('../scoring/onnxModelBytes')]);
  if (!isLocalFolder(choice.model) && !isHubModelId(choice.model))
    throw new Error(`BERTScore model "${choice.model}" is neither a hub id (org/name) nor a bundled model folder.`);
  // createBertScorer loads through Transformers.js's global env (configureTransformersEnv); it reports no per-file progress.
  const idf = choice.idf === true;
  const bert = await createBertScorer({ model: choice.model, layer: choice.layer, dtype: 'fp32', device: options.device });
  return {
    scorer: bert,
    detail: `BERTScore ${bert.modelId}, ${bert.layerInfo}${idf ? ', idf over the training references' : ''}`,
    bert,
    wantsIdf: idf,
    dispose: () => bert.dispose(),
  };
}

export async function loadBrowserEncoder(name: string, options: ComponentLoadOptions): Promise<{ encoder: StateEncoder; dispose(): Promise<void> }> {
  const choice = parseEncoderName(name);
  if (!choice) throw new Error(`Unknown state encoder "${name}": use use-lite, glove-mean or minilm:<model>.`);
  if (choice.kind === 'glove-mean') {
    const vectors = await loadGloveFromUrl(new URL('models/glove/', options.baseUrl).href);
    return { encoder: withEmbeddingCache(createGloveMeanEncoder(vectors), 50_000), dispose: async () => {} };
  }
  if (choice.kind === 'use-lite') {
    const encoder = await loadUseLiteBrowser({ onProgress: (p) => options.onUseLiteProgress?.(p.loadedFiles, p.totalFiles) });
    return { encoder: withEmbeddingCache(encoder, 50_000), dispose: async () => {} };
  }
  const loaded = await loadTransformersEncoder({
    model: choice.model,
    ...(isLocalFolder(choice.model) ? { dtype: 'fp32' as const } : {}),
    device: options.device,
    onProgress: (event) => {
      const e = event as { status?: string; file?: string; loaded?: number; total?: number };
      if (e.status) options.onModelProgress?.({ model: choice.model, status: e.status, file: e.file, loaded: e.loaded, total: e.total });
    },
  });
  return { encoder: withEmbeddingCache(loaded, 50_000), dispose: () => loaded.dispose() };
}
