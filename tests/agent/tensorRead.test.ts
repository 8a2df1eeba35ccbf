// readInto (the lean step's allocation-free tensor read) gives exactly dataSync()'s numbers: on
// wasm straight from the backend's heap, on cpu through dataSync().
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { readInto, readsFromHeap } from '../../src/agent/tensorRead';

describe('readInto', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`${backend}: the values of kernel outputs, tensor after tensor, into one reused array`, async () => {
      expect(await initBackend(backend)).toBe(backend);
      // The pinned @tensorflow/tfjs-backend-wasm has the fields the heap path reads (an upgrade that drops them shows here).
      expect(readsFromHeap()).toBe(backend === 'wasm');
      const out = new Float32Array(12 * 7);
      for (let k = 0; k < 3; k++) {
        tf.tidy(() => {
          const a = tf.randomNormal([12, 5], 0, 1, 'float32', k);
          const b = tf.randomNormal([5, 7], 0, 1, 'float32', 10 + k);
          const product = tf.matMul(a, b);
          const expected = Array.from(product.dataSync());
          expect(Array.from(readInto(product, out))).toEqual(expected);
        });
      }
    });
  }

  it('refuses an array of the wrong size, naming both sizes', async () => {
    await initBackend('wasm');
    const t = tf.ones([2, 3]);
    expect(() => readInto(t, new Float32Array(5))).toThrow(/5 numbers, the tensor 6/);
    t.dispose();
  });
});
