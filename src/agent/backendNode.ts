// tfjs backend for Node (CLI, tsx, vitest): wasm from the package's dist folder, else cpu.
// Not @tensorflow/tfjs-node: its install downloads libtensorflow, which fails here.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { backendOrder, selectBackend, type BackendChoice, type BackendName, type BackendSelection } from './backend';

/** Node has no WebGPU/WebGL for tfjs; trying them only prints warnings. */
const NODE_AUTO_ORDER: readonly BackendName[] = ['wasm', 'cpu'];

let wasmPathsSet = false;

function wasmDistFolder(): string {
  const require = createRequire(import.meta.url);
  // The package's main file lives in dist/, next to the three .wasm files; setWasmPaths wants a trailing slash.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

function prepareNodeBackend(name: BackendName): void {
  if (name === 'wasm' && !wasmPathsSet) {
    setWasmPaths(wasmDistFolder());
    // Threads gain nothing on the 2-core machines this runs on, and keep the run deterministic.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmPathsSet = true;
  }
  if (name === 'webgl' || name === 'webgpu') {
    throw new Error(`${name} is not available to tfjs in Node`);
  }
}

/** Select a backend in Node; returns the full record of what was tried. */
export async function selectNodeBackend(choice: BackendChoice = 'auto'): Promise<BackendSelection> {
  const order = choice === 'auto' ? backendOrder('auto', NODE_AUTO_ORDER) : backendOrder(choice);
  return selectBackend(order, prepareNodeBackend);
}

/** Select a backend in Node ('auto' = wasm, then cpu); resolves to the active backend's name. */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<string> {
  return (await selectNodeBackend(choice)).active;
}
