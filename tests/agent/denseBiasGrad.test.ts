import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { dense, transposeRows } from '../../src/agent/denseOp';

beforeAll(async () => {
  await initBackend('wasm');
});

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

// Large outputs (≥ 16384 elements) take the 1ᵀ·dy path for the bias gradient; small ones tf.sum.
describe('dense gradients on batch-sized layers (bias gradient as a row-vector matmul)', () => {
  for (const [rows, inDim, outDim] of [
    [128, 24, 160],
    [8, 24, 16],
  ]) {
    it(`hidden and data inputs, ${rows}×${inDim} → ${outDim}`, () => {
      tf.tidy(() => {
        const xData = tf.randomNormal([rows, inDim], 0, 1, 'float32', 11).dataSync() as Float32Array;
        const x = tf.tensor2d(xData, [rows, inDim]);
        const xT = tf.tensor2d(transposeRows(xData, rows, inDim), [inDim, rows]);
        const w = tf.randomNormal([inDim, outDim], 0, 0.3, 'float32', 12) as tf.Tensor2D;
        const b = tf.randomNormal([outDim], 0, 1, 'float32', 13) as tf.Tensor1D;
        const c = tf.randomNormal([rows, outDim], 0, 1, 'float32', 14);
        const loss = (y: tf.Tensor) => tf.sum(tf.mul(tf.tanh(y), c));
        const ref = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => loss(tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb)))([x, w, b]);
        const hidden = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => loss(dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D)))([
          x,
          w,
          b,
        ]);
        const onData = tf.grads((ww: tf.Tensor, bb: tf.Tensor) => loss(dense(x, ww as tf.Tensor2D, bb as tf.Tensor1D, xT)))([w, b]);
        expect(hidden[2].shape).toEqual([outDim]);
        for (let k = 0; k < 3; k++) expect(maxAbsDiff(hidden[k], ref[k])).toBeLessThan(1e-3);
        expect(maxAbsDiff(onData[0], ref[1])).toBeLessThan(1e-3);
        expect(maxAbsDiff(onData[1], ref[2])).toBeLessThan(1e-3);
      });
    });
  }
});
