// Contextual token embeddings from one layer of a BERT-like model, with Transformers.js.
// hidden_states[k] is made the graph's only output: the ONNX file is re-read, the output of layer k
// (the declared `hidden_states.k` output when the export has one, as the test models do; otherwise
// found by node name) is kept alone, nodes after it are dropped (see onnxGraphEdit.ts), and the
// model's session is replaced by one built from the edited bytes. A graph whose only output is
// already that tensor is used as it is.
import { AutoModel, AutoTokenizer, env, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { findModelDefaults } from './bertScoreBaseline';
import { loadModelFileBytes } from './onnxModelBytes';
import { findHiddenStateTensor, readOnnxGraph, selectGraphOutputs } from './onnxGraphEdit';

export type BertDtype = 'fp32' | 'q8';

const ONNX_FILE: Record<BertDtype, string> = { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx' };

export interface BertEncoderOptions {
  /** Hub id ("Xenova/bert-base-multilingual-cased"), a bert_score name ("bert-base-multilingual-cased", mapped to its ONNX repo) or a local folder. */
  readonly model: string;
  /** Layer k: hidden_states[k], 0 = embeddings. Default: bert_score's default for known models, else the last layer. */
  readonly layer?: number;
  /** Folder (or URL path, e.g. "/models/") of local models: sets Transformers.js's global `env.localModelPath` and `allowLocalModels`. */
  readonly localModelPath?: string;
  /** Whether Transformers.js may download from the hub (`env.allowRemoteModels`); sets that global when given. */
  readonly allowRemote?: boolean;
  /** Weights file: fp32 (default; BERTScore numbers match PyTorch) or q8 (4× smaller, approximate). */
  readonly dtype?: BertDtype;
  /** ONNX Runtime execution provider, e.g. "wasm", "webgpu", "cpu". Default: Transformers.js's default. */
  readonly device?: string;
  /** Token limit per text, special tokens included (bert_score: the tokenizer's model_max_length, 512). */
  readonly maxLength?: number;
}

/** One text's tokens (special tokens included) and their layer-k vectors, row-major. */
export interface EncodedText {
  readonly ids: Int32Array;
  readonly vectors: Float32Array;
  readonly count: number;
  readonly dim: number;
}

export interface BertEncoder {
  readonly modelId: string;
  readonly layer: number;
  readonly numLayers: number;
  /** Human-readable: which layer, why that one, and how it is read from the graph. */
  readonly layerInfo: string;
  /** Ids the tokenizer's template adds ([CLS]/[SEP], <s>/</s>): dropped or zero-weighted by BERTScore. */
  readonly specialIds: ReadonlySet<number>;
  readonly maxLength: number;
  /** Token ids of one text (special tokens included, truncated to maxLength). */
  tokenize(text: string): number[];
  /** Embeds the texts in ONE session run (pad to the longest; the attention mask hides padding). */
  embed(texts: readonly string[]): Promise<EncodedText[]>;
  /** The same for texts already tokenized with `tokenize`. */
  embedIds(idLists: readonly (readonly number[])[]): Promise<EncodedText[]>;
  dispose(): Promise<void>;
}

type Session = { inputNames: string[]; outputNames: string[]; release?: () => Promise<void>; config?: unknown };
type SessionClass = { create(bytes: Uint8Array, options?: object): Promise<Session> };

function layerCount(config: Record<string, unknown>): number {
  const n = config.num_hidden_layers ?? config.n_layers ?? config.num_layers ?? config.n_layer;
  if (typeof n !== 'number') throw new Error('BERTScore: the model config has no layer count (num_hidden_layers / n_layers)');
  return n;
}

/**
 * Makes hidden_states[layer] the session's only output; returns its output name and how it was obtained.
 * A session that computes more than that output is rebuilt from edited bytes (onnxGraphEdit.ts): a
 * graph that declares every hidden_states.* output still runs all its layers and copies every
 * output into JS on each run, so cutting it after layer k saves the later layers' compute (a third
 * of the mid-size bench model at layer 4 of 6) and the copies. Values are unchanged: the kept nodes
 * are the same.
 */
async function ensureLayerOutput(
  model: PreTrainedModel,
  loadId: string,
  layer: number,
  numLayers: number,
  dtype: BertDtype,
  device: string | undefined,
): Promise<{ outputName: string; how: string }> {
  const sessions = (model as unknown as { sessions: Record<string, Session> }).sessions;
  const session = sessions.model;
  const declared = session.outputNames.includes(`hidden_states.${layer}`)
    ? `hidden_states.${layer}`
    : layer === numLayers && session.outputNames.includes('last_hidden_state')
      ? 'last_hidden_state'
      : null;
  if (declared && session.outputNames.length === 1) return { outputName: declared, how: `graph output ${declared}` };
  const bytes = await loadModelFileBytes(loadId, ONNX_FILE[dtype]);
  const tensor = declared ?? findHiddenStateTensor(readOnnxGraph(bytes), layer);
  const edited = selectGraphOutputs(bytes, [tensor]);
  // Build the new session with the same ONNX Runtime build Transformers.js uses.
  const Session = Object.getPrototypeOf(session).constructor as SessionClass;
  const config = session.config;
  await session.release?.();
  const replacement = await Session.create(edited, device ? { executionProviders: [device] } : undefined);
  replacement.config = config;
  sessions.model = replacement;
  const how = declared
    ? `graph output ${declared}, the other outputs dropped (graph cut after layer ${layer})`
    : `tensor "${tensor}" made the graph output (graph cut after layer ${layer})`;
  return { outputName: tensor, how };
}

export async function createBertEncoder(options: BertEncoderOptions): Promise<BertEncoder> {
  if (options.localModelPath !== undefined) {
    env.localModelPath = options.localModelPath;
    env.allowLocalModels = true; // off by default in browsers
  }
  if (options.allowRemote !== undefined) env.allowRemoteModels = options.allowRemote;
  const dtype = options.dtype ?? 'fp32';
  const known = findModelDefaults(options.model);
  // A bare bert_score name has no ONNX weights on the hub; load its Transformers.js-ready copy.
  const loadId = known && options.model === known.name ? known.onnxId : options.model;
  const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(loadId);
  const model = await AutoModel.from_pretrained(loadId, { dtype, ...(options.device ? { device: options.device as 'wasm' } : {}) });
  const numLayers = layerCount(model.config as unknown as Record<string, unknown>);
  const layer = options.layer ?? known?.defaultLayer ?? numLayers;
  if (!Number.isInteger(layer) || layer < 0 || layer > numLayers) {
    throw new Error(`BERTScore: layer ${layer} is outside 0..${numLayers} for ${loadId}`);
  }
  const why = options.layer !== undefined ? 'chosen' : known ? `bert_score default for ${known.name}` : 'last layer; no bert_score default known';
  const { outputName, how } = await ensureLayerOutput(model, loadId, layer, numLayers, dtype, options.device);
  const maxLength = options.maxLength ?? 512;
  // encode() returns the ids as numbers; calling the tokenizer itself also builds three int64 tensors.
  const encode = (text: string): number[] => tokenizer.encode(text);
  // The template's special tokens, split into those before and after the text ([CLS] | [SEP]).
  const template = encode('');
  const probe = encode('a');
  let prefixLength = 0;
  while (prefixLength < template.length && template[prefixLength] === probe[prefixLength]) prefixLength++;
  const suffixLength = template.length - prefixLength;
  if (maxLength <= template.length) throw new Error(`BERTScore: maxLength ${maxLength} leaves no room for text`);
  const specialIds = new Set(template);
  const padId = tokenizer.pad_token_id ?? 0;

  // Truncation as Hugging Face tokenizers do it: cut the text's tokens and keep the closing
  // special token(s). (Transformers.js 3.x cuts after adding them, losing the final [SEP].)
  const tokenize = (text: string): number[] => {
    const ids = encode(text);
    if (ids.length <= maxLength) return ids;
    return ids.slice(0, maxLength - suffixLength).concat(ids.slice(ids.length - suffixLength));
  };

  return {
    modelId: loadId,
    layer,
    numLayers,
    layerInfo: `layer ${layer} of ${numLayers} (${why}); ${how}`,
    specialIds,
    maxLength,
    tokenize,
    embed(texts: readonly string[]): Promise<EncodedText[]> {
      return embedIds(texts.map(tokenize));
    },
    embedIds,
    async dispose() {
      await model.dispose();
    },
  };

  async function embedIds(idLists: readonly (readonly number[])[]): Promise<EncodedText[]> {
    const batch = idLists.length;
    if (batch === 0) return [];
    const seq = Math.max(...idLists.map((ids) => ids.length));
    const ids = new BigInt64Array(batch * seq).fill(BigInt(padId));
    const mask = new BigInt64Array(batch * seq);
    idLists.forEach((list, b) =>
      list.forEach((id, t) => {
        ids[b * seq + t] = BigInt(id);
        mask[b * seq + t] = 1n;
      }),
    );
    const outputs = await model({
      input_ids: new Tensor('int64', ids, [batch, seq]),
      attention_mask: new Tensor('int64', mask, [batch, seq]),
      token_type_ids: new Tensor('int64', new BigInt64Array(batch * seq), [batch, seq]),
    });
    const hidden = outputs[outputName];
    if (!hidden) throw new Error(`BERTScore: the model returned no "${outputName}" output`);
    const dim = (hidden.dims as number[])[2];
    const data = hidden.data as Float32Array;
    // Right padding: text b's tokens are rows 0..count-1 of its sequence.
    const encoded = idLists.map((list, b) => {
      const start = b * seq * dim;
      return { ids: Int32Array.from(list), vectors: data.slice(start, start + list.length * dim), count: list.length, dim };
    });
    hidden.dispose?.();
    return encoded;
  }
}
