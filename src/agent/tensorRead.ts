// Reading a tensor's values into an array the caller keeps (the lean step's scratch arrays), with
// no new array per read. tfjs's dataSync() on wasm allocates a fresh copy of the heap range every
// time (BackendWasm.readSync: HEAPU8.slice), ~2-4 MB per gradient step, which V8 then collects on
// its helper threads (CPU time above wall time in the PPO bench).
//
// On wasm this copies straight from the backend's heap: it reads two fields of
// @tensorflow/tfjs-backend-wasm's BackendWasm (dataIdMap → memoryOffset, wasm.HEAPU8), checked
// on every call; where they are missing (another version, another backend) it falls back to
// dataSync(). tests/agent/tensorRead.test.ts holds both paths to the same numbers.
import * as tf from '@tensorflow/tfjs';

interface WasmInternals {
  dataIdMap: { get(dataId: object): { memoryOffset?: number | null; dtype?: string } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

function wasmInternals(): WasmInternals | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as Partial<WasmInternals>;
  if (typeof backend.dataIdMap?.get !== 'function' || !(backend.wasm?.HEAPU8 instanceof Uint8Array)) return null;
  return backend as WasmInternals;
}

/** Whether readInto copies straight from the backend's heap (wasm with the fields it reads), rather than through dataSync(). */
export function readsFromHeap(): boolean {
  return wasmInternals() !== null;
}

/** The float32 values of `t` copied into `out` (length t.size), which is returned. */
export function readInto(t: tf.Tensor, out: Float32Array): Float32Array {
  if (out.length !== t.size) throw new Error(`readInto: the array holds ${out.length} numbers, the tensor ${t.size}.`);
  const internals = wasmInternals();
  const entry = internals?.dataIdMap.get(t.dataId);
  if (internals && entry && typeof entry.memoryOffset === 'number' && entry.dtype === 'float32') {
    const heap = internals.wasm.HEAPU8;
    out.set(new Float32Array(heap.buffer, heap.byteOffset + entry.memoryOffset, t.size));
    return out;
  }
  out.set(t.dataSync() as Float32Array);
  return out;
}
