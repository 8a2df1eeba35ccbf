// Float32Arrays the lean step reuses from one gradient step to the next, by name, instead of
// allocating ~2 MB of fresh arrays per step (refreshed weights, their transposes, activations,
// back-propagated errors): the garbage made V8 collect inside the timed step, and a heap that had
// been shrunk made the step twice as slow (bench/README.md, "PPO update").
//
// Reuse is only sound where the tfjs backend copies a tensor's values when the tensor is made:
// wasm does (BackendWasm.move copies into the wasm heap); cpu keeps the array it is given, so there
// every request returns a new array, as before.
export class ScratchBuffers {
  private readonly buffers = new Map<string, Float32Array>();

  /** Whether arrays are reused; set per update from the active backend (`reusableOn`). */
  reuse = false;

  /**
   * An array of `length` under `key`: the same one as the last call with this key when reusing
   * (its old contents still there: the caller overwrites every element), else a new zeroed one.
   */
  get(key: string, length: number): Float32Array {
    if (!this.reuse) return new Float32Array(length);
    let buffer = this.buffers.get(key);
    if (!buffer || buffer.length !== length) {
      buffer = new Float32Array(length);
      this.buffers.set(key, buffer);
    }
    return buffer;
  }

  /** Drop the kept arrays (their memory goes back to the garbage collector). */
  clear(): void {
    this.buffers.clear();
  }
}

/** Backends whose tensor constructor copies the values it is given (so a scratch array may be refilled after). */
export function reusableOn(backend: string): boolean {
  return backend === 'wasm';
}
