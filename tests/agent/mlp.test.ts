import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { dense, fastTanh, transposeRows } from '../../src/agent/denseOp';
import { Mlp } from '../../src/agent/mlp';
import { orthogonal } from '../../src/agent/weightInit';
import { createRng } from '../../src/der/rng';

beforeAll(async () => {
  await initBackend('wasm');
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('hand-written layer gradients match tfjs autodiff', () => {
  it('dense + fastTanh on a hidden input (x, W, b gradients)', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([7, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
      const w = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
      const b = tf.randomNormal([3], 0, 1, 'float32', 3) as tf.Tensor1D;
      const c = tf.randomNormal([7, 3], 0, 1, 'float32', 4);
      const ours = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.mul(fastTanh(dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D)), c)),
      );
      const ref = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.mul(tf.tanh(tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb)), c)),
      );
      const g1 = ours([x, w, b]);
      const g2 = ref([x, w, b]);
      g1.forEach((g, k) => expect(maxAbsDiff(g, g2[k])).toBeLessThan(1e-4));
      expect(maxAbsDiff(fastTanh(x), tf.tanh(x))).toBeLessThan(1e-6);
    });
  });

  it('dense on data with a precomputed transpose gives the same W and b gradients', () => {
    tf.tidy(() => {
      const xData = Float32Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i));
      const x = tf.tensor2d(xData, [6, 4]);
      const xT = tf.tensor2d(transposeRows(xData, 6, 4), [4, 6]);
      expect(maxAbsDiff(xT, tf.transpose(x))).toBe(0);
      const w = tf.randomNormal([4, 2], 0, 1, 'float32', 5) as tf.Tensor2D;
      const b = tf.zeros([2]) as tf.Tensor1D;
      const ours = tf.grads((ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.square(dense(x, ww as tf.Tensor2D, bb as tf.Tensor1D, xT))));
      const ref = tf.grads((ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.square(tf.add(tf.matMul(x, ww as tf.Tensor2D), bb))));
      const g1 = ours([w, b]);
      const g2 = ref([w, b]);
      g1.forEach((g, k) => expect(maxAbsDiff(g, g2[k])).toBeLessThan(1e-4));
    });
  });
});

describe('seeded initialisation', () => {
  it('orthogonal init is orthonormal (times the gain) on the short side', () => {
    for (const [rows, cols] of [
      [12, 5],
      [5, 12],
    ]) {
      const m = orthogonal(rows, cols, 2, createRng(1));
      const short = Math.min(rows, cols);
      for (let i = 0; i < short; i++) {
        for (let j = 0; j < short; j++) {
          let dot = 0;
          for (let k = 0; k < Math.max(rows, cols); k++) {
            dot += rows >= cols ? m[k * cols + i] * m[k * cols + j] : m[i * cols + k] * m[j * cols + k];
          }
          expect(dot).toBeCloseTo(i === j ? 4 : 0, 4);
        }
      }
    }
  });

  it('the same seed gives the same weights; orthogonal heads have the requested gain', () => {
    const spec = { name: 'net', inputDim: 8, hiddenSizes: [16, 16], outputDim: 3, activation: 'tanh' as const, orthogonalInit: true, outputGain: 0.01 };
    const a = new Mlp(spec, createRng(42));
    const b = new Mlp(spec, createRng(42));
    const c = new Mlp({ ...spec, orthogonalInit: false }, createRng(42));
    a.variables.forEach((v, k) => expect(Array.from(v.dataSync())).toEqual(Array.from(b.variables[k].dataSync())));
    expect(Array.from(c.variables[0].dataSync())).not.toEqual(Array.from(a.variables[0].dataSync()));
    // The head [16, 3] is semi-orthogonal with gain 0.01: each column has norm 0.01.
    const head = a.layers[2].kernel.arraySync();
    const colNorm = Math.sqrt(head.reduce((s, row) => s + row[0] ** 2, 0));
    expect(colNorm).toBeCloseTo(0.01, 5);
    expect(a.variableNames).toEqual(['net/dense0/kernel', 'net/dense0/bias', 'net/dense1/kernel', 'net/dense1/bias', 'net/dense2/kernel', 'net/dense2/bias']);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('the inference path (predict) computes the same function as the training path (forward)', () => {
    for (const activation of ['tanh', 'relu'] as const) {
      const net = new Mlp({ name: 'p', inputDim: 10, hiddenSizes: [200, 100], outputDim: 3, activation, orthogonalInit: true, outputGain: 1 }, createRng(3));
      tf.tidy(() => {
        const data = Float32Array.from({ length: 200 * 10 }, (_, i) => Math.cos(i * 0.37));
        const x = tf.tensor2d(data, [200, 10]);
        const xT = tf.tensor2d(transposeRows(data, 200, 10), [10, 200]);
        // 200×200 hidden activations exceed the size where the training path switches to fastTanh.
        expect(maxAbsDiff(net.predict(x), net.forward(x, xT))).toBeLessThan(1e-5);
        expect(maxAbsDiff(net.predict(x), net.forward(x))).toBeLessThan(1e-5);
      });
      net.dispose();
    }
  });
});
