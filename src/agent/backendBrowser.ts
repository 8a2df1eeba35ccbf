// tfjs backend for the browser (imported only by the training worker). Vite must bundle the wasm
// binaries, so each of the three is imported with `?url` and handed to setWasmPaths by file name.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { configureWebgl } from './backendWebgl';
import { backendOrder, selectBackend, type BackendChoice, type BackendName, type BackendSelection } from './backend';

let wasmPathsSet = false;

/** Ready a backend in the browser (file paths, flags); throws when it cannot exist here. */
export function prepareBrowserBackend(name: BackendName): void {
  if (name === 'webgpu' && !(typeof navigator !== 'undefined' && 'gpu' in navigator)) {
    throw new Error('this browser has no WebGPU (navigator.gpu is missing)');
  }
  // Packed binary ops turn webgl's texture padding into NaN gradients (see backendWebgl.ts).
  if (name === 'webgl') configureWebgl();
  if (name === 'wasm' && !wasmPathsSet) {
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
    });
    // The threaded build breaks in a minified build on cross-origin-isolated pages ("e is not defined").
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmPathsSet = true;
  }
}

export async function selectBrowserBackend(choice: BackendChoice = 'auto'): Promise<BackendSelection> {
  return selectBackend(backendOrder(choice), prepareBrowserBackend);
}

/** Select a backend in the browser ('auto' = webgpu → webgl → wasm → cpu); resolves to the active name. */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<string> {
  return (await selectBrowserBackend(choice)).active;
}
