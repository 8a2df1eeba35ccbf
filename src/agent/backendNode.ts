// tfjs backend for Node (CLI, tsx, vitest): wasm from the package's dist folder, else cpu; webgpu
// only when asked for by name, through the optional `webgpu` package (webgpuNode.ts).
// Not @tensorflow/tfjs-node: its install downloads libtensorflow, which fails here.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { prepareNodeWebgpu } from './webgpuNode';
import { backendOrder, selectBackend, type BackendChoice, type BackendName, type BackendSelection } from './backend';

/** Node has no WebGL for tfjs, and WebGPU only with the optional Dawn addon: auto tries neither. */
const NODE_AUTO_ORDER: readonly BackendName[] = ['wasm', 'cpu'];

let wasmPathsSet = false;

function wasmDistFolder(): string {
  const require = createRequire(import.meta.url);
  // The package's main file lives in dist/, next to the three .wasm files; setWasmPaths wants a trailing slash.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

async function prepareNodeBackend(name: BackendName): Promise<void> {
  if (name === 'wasm' && !wasmPathsSet) {
    setWasmPaths(wasmDistFolder());
    // Threads gain nothing on the 2-core machines this runs on, and keep the run deterministic.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmPathsSet = true;
  }
  if (name === 'webgpu') await prepareNodeWebgpu();
  if (name === 'webgl') throw new Error('webgl is not available to tfjs in Node');
}

/** Select a backend in Node; returns the full record of what was tried. */
export async function selectNodeBackend(choice: BackendChoice = 'auto'): Promise<BackendSelection> {
  const order = choice === 'auto' ? backendOrder('auto', NODE_AUTO_ORDER) : backendOrder(choice);
  if (choice === 'webgpu') {
    // Asked for by name: a missing package or adapter is an error in one line, not a silent cpu run.
    await prepareNodeWebgpu();
    return selectBackend(['webgpu'], prepareNodeBackend);
  }
  return selectBackend(order, prepareNodeBackend);
}

/** Select a backend in Node ('auto' = wasm, then cpu); resolves to the active backend's name. */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<string> {
  return (await selectNodeBackend(choice)).active;
}
