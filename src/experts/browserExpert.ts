// An expert that runs in the page (or in Node): a Transformers.js causal LM answering one user
// message through the model's own chat template. The model is loaded on the first call (download
// progress is reported), shared by every expert of the same model/dtype/device, and its calls are
// run one at a time (one ONNX session does not run concurrent generations safely).
import type { ExpertSpec } from '../der/config';
import type { ExpertReply, ExpertRequest } from '../der/types';
import type { ExpertFactory, SingleExpert } from './pool';

export type BrowserDtype = NonNullable<ExpertSpec['dtype']>;
export type BrowserDevice = 'webgpu' | 'wasm' | 'cpu';

/** Default answer length when the spec sets no maxTokens (the OpenAI expert's default too). */
export const DEFAULT_BROWSER_MAX_TOKENS = 512;

/** Small instruct models with ONNX weights on the hub that Transformers.js runs in a browser tab. */
export const SUGGESTED_BROWSER_MODELS: readonly { id: string; sizeB: number; dtype: BrowserDtype; note: string }[] = [
  { id: 'HuggingFaceTB/SmolLM2-135M-Instruct', sizeB: 0.135, dtype: 'q4f16', note: '≈130 MB at q4f16; fast, weak' },
  { id: 'HuggingFaceTB/SmolLM2-360M-Instruct', sizeB: 0.36, dtype: 'q4f16', note: '≈300 MB at q4f16' },
  { id: 'onnx-community/Qwen2.5-0.5B-Instruct', sizeB: 0.5, dtype: 'q4f16', note: '≈480 MB at q4f16; multilingual' },
  { id: 'onnx-community/Llama-3.2-1B-Instruct-q4f16', sizeB: 1.24, dtype: 'q4f16', note: '≈1.2 GB; q4f16 weights only' },
];

/** One model-loading event (a file's download progress, or the model being ready). */
export interface ModelLoadProgress {
  model: string;
  status: string;
  file?: string;
  /** Bytes loaded / total of the current file, when the server tells the size. */
  loaded?: number;
  total?: number;
}

export interface BrowserExpertOptions {
  /** Execution device; default: 'webgpu' where a WebGPU adapter is available, else 'wasm' (Node: Transformers.js's default). */
  device?: BrowserDevice;
  /** Weights variant when the spec has none; default q4f16 on WebGPU, q4 on wasm. */
  dtype?: BrowserDtype;
  onProgress?: (progress: ModelLoadProgress) => void;
}

/** The parts of a loaded causal LM the expert uses (typed narrowly: Transformers.js's own types are huge). */
interface LoadedModel {
  tokenizer: {
    apply_chat_template(messages: { role: string; content: string }[], options: object): { input_ids: TensorLike; attention_mask: TensorLike };
    (text: string): { input_ids: TensorLike; attention_mask: TensorLike };
    batch_decode(ids: TensorLike, options: object): string[];
  };
  model: {
    generate(options: object): Promise<TensorLike>;
    dispose(): Promise<unknown>;
  };
  /** Longest sequence (prompt + answer) the model's position embeddings cover, if its config says. */
  contextLength: number | null;
  /** False for a base model without a chat template: the prompt is then fed as plain text. */
  chat: boolean;
  device: string;
  dtype: BrowserDtype | 'auto';
}

interface TensorLike {
  dims: number[];
  slice(...ranges: (number[] | [number, number | null] | null)[]): TensorLike;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/** WebGPU only when an adapter is really there (navigator.gpu exists in browsers without a usable GPU). */
export async function detectBrowserDevice(): Promise<BrowserDevice | undefined> {
  if (isNode) return undefined;
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return 'wasm';
  try {
    return (await gpu.requestAdapter()) ? 'webgpu' : 'wasm';
  } catch {
    return 'wasm';
  }
}

function contextLengthOf(config: Record<string, unknown>): number | null {
  const n = config.max_position_embeddings ?? config.n_positions ?? config.n_ctx;
  return typeof n === 'number' && n > 0 ? n : null;
}

async function loadModel(
  modelId: string,
  device: BrowserDevice | undefined,
  dtype: BrowserDtype | undefined,
  onProgress?: (p: ModelLoadProgress) => void,
): Promise<LoadedModel> {
  const { AutoTokenizer, AutoModelForCausalLM } = await import('@huggingface/transformers');
  const progress_callback = onProgress
    ? (p: { status: string; file?: string; loaded?: number; total?: number }) =>
        onProgress({ model: modelId, status: p.status, file: p.file, loaded: p.loaded, total: p.total })
    : undefined;
  const chosenDtype = dtype ?? (device === 'webgpu' ? 'q4f16' : device === 'wasm' ? 'q4' : undefined);
  try {
    const tokenizer = await AutoTokenizer.from_pretrained(modelId, { progress_callback });
    const model = await AutoModelForCausalLM.from_pretrained(modelId, {
      progress_callback,
      ...(chosenDtype ? { dtype: chosenDtype } : {}),
      ...(device ? { device } : {}),
    });
    return {
      chat: Boolean((tokenizer as unknown as { chat_template?: unknown }).chat_template),
      tokenizer: tokenizer as unknown as LoadedModel['tokenizer'],
      model: model as unknown as LoadedModel['model'],
      contextLength: contextLengthOf(model.config as unknown as Record<string, unknown>),
      device: device ?? 'default',
      dtype: chosenDtype ?? 'auto',
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not load the in-browser model "${modelId}"${chosenDtype ? ` (${chosenDtype} weights)` : ''}: ${reason}. ` +
        "Check the hub id, that it has ONNX weights for this dtype (onnx/model_<dtype>.onnx), and the network; set the expert's dtype (fp32, q8, q4, q4f16) to match the files.",
      { cause: error },
    );
  }
}

/** Runs tasks one after another (generations on one model must not overlap). */
function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

interface SharedModel {
  loaded: Promise<LoadedModel>;
  enqueue: ReturnType<typeof serialQueue>;
}

export interface BrowserExpertFactory extends ExpertFactory {
  /** Loaded models (for status lines and tests): "model|dtype|device". */
  loadedModels(): string[];
  /** Load a model now instead of on its first call (downloads before training starts). */
  preload(modelId: string, dtype?: BrowserDtype): Promise<void>;
  /** Free every loaded model. */
  dispose(): Promise<void>;
}

/**
 * An ExpertFactory for createExpertPool's `factories.browser`. Experts of the same model, dtype and
 * device share one loaded model and one queue.
 */
export function createBrowserExpertFactory(options: BrowserExpertOptions = {}): BrowserExpertFactory {
  const models = new Map<string, SharedModel>();
  let devicePromise: Promise<BrowserDevice | undefined> | null = null;
  const device = () => (devicePromise ??= options.device ? Promise.resolve(options.device) : detectBrowserDevice());

  async function shared(modelId: string, dtype: BrowserDtype | undefined): Promise<SharedModel> {
    const dev = await device();
    const key = `${modelId}|${dtype ?? options.dtype ?? 'default'}|${dev ?? 'default'}`;
    let entry = models.get(key);
    if (!entry) {
      entry = { loaded: loadModel(modelId, dev, dtype ?? options.dtype, options.onProgress), enqueue: serialQueue() };
      // A failed load is not kept: the next call tries again (e.g. after the network comes back).
      entry.loaded.catch(() => models.delete(key));
      models.set(key, entry);
    }
    return entry;
  }

  const factory = ((spec: ExpertSpec): SingleExpert => {
    if (!spec.model)
      throw new Error(`Browser expert "${spec.name}" needs "model": a hub id (e.g. ${SUGGESTED_BROWSER_MODELS[0].id}) or a local model folder name.`);
    const modelId = spec.model;
    const maxTokens = spec.maxTokens ?? DEFAULT_BROWSER_MAX_TOKENS;
    const temperature = spec.temperature ?? 0;
    return {
      info: { name: spec.name, sizeB: spec.sizeB, kind: 'browser' },
      async call(request: ExpertRequest): Promise<ExpertReply> {
        const entry = await shared(modelId, spec.dtype);
        const lm = await entry.loaded;
        return entry.enqueue(() => generate(lm, request.prompt, maxTokens, temperature));
      },
    };
  }) as unknown as BrowserExpertFactory;
  factory.loadedModels = () => [...models.keys()];
  factory.preload = async (modelId, dtype) => {
    await (
      await shared(modelId, dtype)
    ).loaded;
  };
  factory.dispose = async () => {
    const entries = [...models.values()];
    models.clear();
    await Promise.all(entries.map(async (e) => (await e.loaded.catch(() => null))?.model.dispose()));
  };
  return factory;
}

/** One chat turn: the prompt as a user message, the reply decoded without special tokens. */
async function generate(lm: LoadedModel, prompt: string, maxTokens: number, temperature: number): Promise<ExpertReply> {
  const started = Date.now();
  // Instruct models get the prompt as a user turn of their own chat template; a base model (no
  // template, e.g. distilgpt2) continues the plain text, which is all it can do.
  let inputs = lm.chat
    ? lm.tokenizer.apply_chat_template([{ role: 'user', content: prompt }], { add_generation_prompt: true, return_dict: true })
    : lm.tokenizer(prompt);
  let maxNewTokens = maxTokens;
  let promptTokens = inputs.input_ids.dims[1];
  if (lm.contextLength !== null) {
    // A model with a short context (the tiny test model has 256 positions): keep room for the answer,
    // and cut the prompt from the left so the template's assistant header stays at the end.
    maxNewTokens = Math.min(maxNewTokens, Math.max(1, Math.floor(lm.contextLength / 2)));
    const room = lm.contextLength - maxNewTokens;
    if (promptTokens > room) {
      inputs = {
        input_ids: inputs.input_ids.slice(null, [promptTokens - room, promptTokens]),
        attention_mask: inputs.attention_mask.slice(null, [promptTokens - room, promptTokens]),
      };
      promptTokens = room;
    }
  }
  const output = await lm.model.generate({
    ...inputs,
    max_new_tokens: maxNewTokens,
    do_sample: temperature > 0,
    ...(temperature > 0 ? { temperature } : {}),
  });
  const newTokens = output.slice(null, [promptTokens, null]);
  const [answer] = lm.tokenizer.batch_decode(newTokens, { skip_special_tokens: true });
  return {
    answer: answer.trim(),
    usage: { promptTokens, completionTokens: output.dims[1] - promptTokens },
    latencyMs: Date.now() - started,
    costUSD: 0,
  };
}
