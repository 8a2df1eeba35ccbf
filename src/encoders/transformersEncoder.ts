// A StateEncoder from any Transformers.js sentence-embedding model (feature-extraction pipeline,
// mean-pooled over the attention mask, L2-normalised). Default: Xenova/all-MiniLM-L6-v2 from the
// Hugging Face hub in a user's browser; tests and offline runs point it at a local folder.
// Transformers.js is imported on first load, so code that only imports this file stays light.
import type { StateEncoder } from '../der/types';

export const DEFAULT_TRANSFORMERS_ENCODER_MODEL = 'Xenova/all-MiniLM-L6-v2';

/** The Transformers.js globals this encoder may set (they are process-wide, like `env` itself). */
export interface TransformersEnvSettings {
  /** May models be downloaded from the hub? */
  allowRemoteModels?: boolean;
  /** May models be read from `localModelPath`? */
  allowLocalModels?: boolean;
  /** Folder (Node) or URL prefix (browser) holding `<model id>/config.json`, `onnx/model.onnx`, …. */
  localModelPath?: string;
  /** onnxruntime-web's wasm files, when they must not come from a CDN (see docs/setup notes). */
  wasmPaths?: string | Record<string, string>;
}

export interface TransformersEncoderOptions {
  /** Hub id or a folder name under `env.localModelPath`. */
  model?: string;
  /** Weights file variant; Transformers.js picks q8 on wasm by default, fp32 needs `onnx/model.onnx`. */
  dtype?: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';
  /** ONNX Runtime device, e.g. "wasm", "webgpu", "cpu". */
  device?: string;
  pooling?: 'mean' | 'cls';
  /** Unit-length vectors (default true): cosine = dot product, comparable scales across models. */
  normalize?: boolean;
  /** Texts per pipeline call. */
  batchSize?: number;
  env?: TransformersEnvSettings;
  /** Download/load progress events, passed through from Transformers.js. */
  onProgress?: (event: unknown) => void;
}

type TensorLike = { dims: number[]; data: ArrayLike<number>; dispose?: () => void };
type Extractor = ((texts: string[], options: { pooling: 'mean' | 'cls'; normalize: boolean }) => Promise<TensorLike>) & {
  model?: { config?: { hidden_size?: number } };
  dispose?: () => Promise<void>;
};

export class TransformersEncoder implements StateEncoder {
  readonly name: string;
  /** Number of pipeline calls so far. */
  modelCalls = 0;

  constructor(
    private readonly extractor: Extractor,
    readonly modelId: string,
    readonly dim: number,
    private readonly pooling: 'mean' | 'cls',
    private readonly normalize: boolean,
    readonly batchSize: number,
  ) {
    this.name = `transformers:${modelId}`;
  }

  async encode(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const chunk = texts.slice(start, start + this.batchSize);
      this.modelCalls++;
      const tensor = await this.extractor([...chunk], { pooling: this.pooling, normalize: this.normalize });
      try {
        const [rows, dim] = tensor.dims;
        if (rows !== chunk.length || dim !== this.dim) {
          throw new Error(`${this.modelId} returned [${tensor.dims}] for ${chunk.length} texts; expected [${chunk.length}, ${this.dim}].`);
        }
        const flat = Float32Array.from(tensor.data);
        for (let r = 0; r < rows; r++) out.push(flat.slice(r * dim, (r + 1) * dim));
      } finally {
        tensor.dispose?.();
      }
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose?.();
  }
}

export async function loadTransformersEncoder(options: TransformersEncoderOptions = {}): Promise<TransformersEncoder> {
  const { pipeline, env } = await import('@huggingface/transformers');
  const settings = options.env ?? {};
  if (settings.allowRemoteModels !== undefined) env.allowRemoteModels = settings.allowRemoteModels;
  if (settings.allowLocalModels !== undefined) env.allowLocalModels = settings.allowLocalModels;
  if (settings.localModelPath !== undefined) env.localModelPath = settings.localModelPath;
  if (settings.wasmPaths !== undefined && env.backends.onnx.wasm) {
    (env.backends.onnx.wasm as { wasmPaths?: unknown }).wasmPaths = settings.wasmPaths;
  }
  const modelId = options.model ?? DEFAULT_TRANSFORMERS_ENCODER_MODEL;
  let extractor: Extractor;
  try {
    extractor = (await pipeline('feature-extraction', modelId, {
      ...(options.dtype ? { dtype: options.dtype } : {}),
      ...(options.device ? { device: options.device as 'wasm' } : {}),
      ...(options.onProgress ? { progress_callback: options.onProgress } : {}),
    })) as unknown as Extractor;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const where = env.allowRemoteModels ? 'the Hugging Face hub or ' : '';
    throw new Error(`Could not load the sentence encoder "${modelId}" from ${where}${env.localModelPath}: ${reason}`, { cause: err });
  }
  const pooling = options.pooling ?? 'mean';
  const normalize = options.normalize ?? true;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 16));
  let dim = extractor.model?.config?.hidden_size;
  if (typeof dim !== 'number') {
    // No hidden_size in the config: ask the model once.
    const probe = await extractor(['dimension probe'], { pooling, normalize });
    dim = probe.dims[1];
    probe.dispose?.();
  }
  return new TransformersEncoder(extractor, modelId, dim, pooling, normalize, batchSize);
}
