import { errorMessage } from '../der/errorMessage';
// WebGPU for tfjs in Node, through the optional npm package `webgpu` (Dawn's Node addon), loaded
// only when --backend webgpu asks for it. Sets up the globals tfjs-backend-webgpu expects
// (GPUBufferUsage & co, navigator.gpu) and refuses to go on without a GPU adapter.
// The adapter found is described (vendor, device, fallback or not) so a run says what it ran on.
export interface NodeWebgpuInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** One line, e.g. "nvidia nvidia-h200 (Vulkan)". */
  summary: string;
}

type GpuLike = { requestAdapter(options?: { powerPreference?: string }): Promise<unknown> };
type AdapterLike = { info?: Record<string, unknown>; isFallbackAdapter?: boolean; features?: { has(f: string): boolean } };

let ready: Promise<NodeWebgpuInfo> | null = null;

/** Where the Dawn addon is loaded from: the `webgpu` package, or a `dawn.node` next to a bundle (DAWN_NODE_PATH). */
async function loadDawn(): Promise<{ create(flags: string[]): GpuLike; globals: Record<string, unknown> }> {
  const explicit = process.env.DAWN_NODE_PATH;
  try {
    if (explicit) {
      const { createRequire } = await import('node:module');
      return createRequire(import.meta.url)(explicit);
    }
    // A variable specifier: bundlers leave the optional package out, and Node resolves it at run time.
    const name = 'webgpu';
    return (await import(/* @vite-ignore */ name)) as { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  } catch (err) {
    const cause = errorMessage(err).split('\n')[0];
    if (explicit) throw new Error(`--backend webgpu: could not load Dawn from DAWN_NODE_PATH=${explicit} (${cause})`, { cause: err });
    throw new Error(`--backend webgpu needs the optional npm package "webgpu" (Dawn for Node): npm install webgpu (${cause})`, { cause: err });
  }
}

async function setUp(): Promise<NodeWebgpuInfo> {
  const dawn = await loadDawn();
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  // Node ≥ 21 has a read-only navigator; define the property instead of assigning the object.
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' })) as AdapterLike | null;
  if (!adapter) throw new Error('--backend webgpu: Dawn found no GPU adapter (no Vulkan driver/ICD? try VK_DRIVER_FILES=/path/to/icd.json, or --backend wasm)');
  const info = adapter.info ?? {};
  const str = (k: string) => String(info[k] ?? '');
  const isFallbackAdapter = Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter ?? false);
  const summary = [
    str('vendor') || 'unknown vendor',
    str('device') || str('architecture'),
    str('description') ? `(${str('description')})` : '',
    isFallbackAdapter ? '[fallback adapter]' : '',
  ]
    .filter(Boolean)
    .join(' ');
  await import('@tensorflow/tfjs-backend-webgpu');
  return { vendor: str('vendor'), architecture: str('architecture'), device: str('device'), description: str('description'), isFallbackAdapter, summary };
}

/** Load Dawn and register tfjs's webgpu backend (once); throws a one-line error when impossible. */
export function prepareNodeWebgpu(): Promise<NodeWebgpuInfo> {
  ready ??= setUp().catch((err) => {
    ready = null;
    throw err;
  });
  return ready;
}
