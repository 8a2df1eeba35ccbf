import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, FLAT_ADAM_MAX_PARAMS } from '../../src/agent/adam';
import { initBackend } from '../../src/agent/backendNode';

beforeAll(async () => {
  await initBackend('wasm');
});

/** PyTorch's Adam written out in plain JS, as the reference. */
function referenceAdam(params: number[], grads: number[][], lr: number, eps: number, scale: number): number[] {
  const p = params.slice();
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, step) => {
    const t = step + 1;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] * scale;
      m[i] = 0.9 * m[i] + 0.1 * gi;
      v[i] = 0.999 * v[i] + 0.001 * gi * gi;
      p[i] -= (lr * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + eps);
    }
  });
  return p;
}

describe('Adam', () => {
  it('per-variable layout (large networks) follows the same rule', () => {
    const size = FLAT_ADAM_MAX_PARAMS + 10;
    const init = Array.from({ length: size }, (_, i) => Math.sin(i));
    const grads = [0, 1].map((s) => Array.from({ length: size }, (_, i) => Math.cos(i * (s + 1))));
    const w = tf.variable(tf.tensor1d(init));
    const adam = new Adam(0.003, 1e-5);
    for (const g of grads) {
      const gt = tf.tensor1d(g);
      adam.apply([{ variable: w, grad: gt }], 2);
      gt.dispose();
    }
    const expected = referenceAdam(init, grads, 0.003, 1e-5, 2);
    const got = w.dataSync();
    for (const i of [0, 1, 777, size - 1]) expect(got[i]).toBeCloseTo(expected[i], 5);
    adam.dispose();
    w.dispose();
  });

  it('matches the PyTorch update rule over several steps, across variables, with a gradient scale', () => {
    const a = tf.variable(
      tf.tensor2d([
        [1, -2],
        [0.5, 3],
      ]),
    );
    const b = tf.variable(tf.tensor1d([0.1, -0.1, 0.3]));
    const grads = [
      [0.5, -1, 2, 0.01, 1e-4, -3, 0.7],
      [0.4, -0.9, 1.5, -0.02, 2e-4, -2, 0.6],
      [-0.3, 0.2, 1, 0.05, 0, -1, -0.5],
    ];
    const adam = new Adam(0.01, 1e-5);
    for (const g of grads) {
      const ga = tf.tensor2d(g.slice(0, 4), [2, 2]);
      const gb = tf.tensor1d(g.slice(4));
      adam.apply(
        [
          { variable: a, grad: ga },
          { variable: b, grad: gb },
        ],
        0.5,
      );
      ga.dispose();
      gb.dispose();
    }
    const expected = referenceAdam([1, -2, 0.5, 3, 0.1, -0.1, 0.3], grads, 0.01, 1e-5, 0.5);
    const got = [...a.dataSync(), ...b.dataSync()];
    got.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 5));
    expect(() => adam.apply([{ variable: b, grad: b }])).toThrow(/different set of variables/);
    adam.dispose();
    a.dispose();
    b.dispose();
  });
});
