// Layer ops with hand-written gradients, tuned for tfjs-wasm (the backend DER trains on in Node
// and on machines without a GPU). Measured there at batch 256:
// - matMul with transposeA/transposeB runs ~10× slower than a plain matMul (16 ms vs 1.2 ms at
//   256×384×256), and tfjs's built-in matMul gradient uses exactly those; explicit transposes
//   followed by plain matMuls are far cheaper;
// - tanh costs ~1 ms per 256×256, 2·sigmoid(2x)−1 about 0.45 ms;
// - tf.sum over axis 0 (the bias gradient) costs ~10× a 1ᵀ·dy matmul.
import * as tf from '@tensorflow/tfjs';

type Inputs = (tf.Tensor | tf.GradSaveFunc)[];

/** Below this many elements tf.sum over axis 0 is as fast as the matmul (measured on wasm). */
const ROW_VECTOR_SUM_MIN_SIZE = 16384;

/**
 * Column sums of dy ([n, m] → [m]), the bias gradient. On large dy as 1ᵀ·dy: on wasm a row-vector
 * matmul runs ~15× faster than tf.sum over axis 0 (0.014 ms vs 0.21 ms at 256×256); on small dy
 * (minibatches of a few dozen) tf.sum is as fast or faster.
 */
function columnSums(dy: tf.Tensor2D): tf.Tensor1D {
  if (dy.size < ROW_VECTOR_SUM_MIN_SIZE) return tf.sum(dy, 0);
  return tf.reshape(tf.matMul(tf.ones([1, dy.shape[0]]), dy), [dy.shape[1]]);
}

/** x·W + b for a hidden input x: gradients for x, W and b. */
const denseHidden = tf.customGrad((...args: Inputs) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  const value: tf.Tensor = tf.fused.matMul({ a: x, b: w, bias: b });
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
    const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
    const dy2 = dy as tf.Tensor2D;
    return [tf.matMul(dy2, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy2), columnSums(dy2)];
  };
  return { value, gradFunc };
});

/**
 * x·W + b for a data input x (states) whose transpose xT the caller already has (built in JS, and
 * shared by actor and critic). x and xT are captured, not op inputs: the tape then needs no
 * (zero) gradients for them, which would cost two fills and two adds of the whole batch.
 */
function denseOnData(x: tf.Tensor2D, xT: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor {
  const op = tf.customGrad((...args: Inputs) => {
    const [ww, bb] = args as [tf.Tensor2D, tf.Tensor1D];
    const value: tf.Tensor = tf.fused.matMul({ a: x, b: ww, bias: bb });
    const gradFunc = (dy: tf.Tensor) => [tf.matMul(xT, dy as tf.Tensor2D), columnSums(dy as tf.Tensor2D)];
    return { value, gradFunc };
  });
  return op(w, b);
}

/**
 * Dense layer x·W + b. Pass `xT` (x transposed) when x is data: the gradient then skips two
 * transposes and a matMul, and no gradient flows to x at all (do not differentiate through it).
 */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, xT?: tf.Tensor2D): tf.Tensor2D {
  return (xT ? denseOnData(x, xT, w, b) : denseHidden(x, w, b)) as tf.Tensor2D;
}

/** tanh(x) computed as 2·sigmoid(2x) − 1 (faster on wasm), with the usual gradient dy·(1 − y²). */
export const fastTanh = tf.customGrad((...args: Inputs) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const y = tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
  save([y]);
  return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, tf.sub(1, tf.square(saved[0])))] };
}) as (x: tf.Tensor2D) => tf.Tensor2D;

/**
 * Row-major [rows, cols] → [cols, rows] in JS (minibatch states, the lean step's weights and
 * activations), in 32×32 blocks (cache-friendly: ~5× faster than row by row at 256×256, measured
 * in Node); into `out` when given (every element is written).
 */
export function transposeRows(src: Float32Array, rows: number, cols: number, out: Float32Array = new Float32Array(rows * cols)): Float32Array {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        const base = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = src[base + c];
      }
    }
  }
  return out;
}

/** Column sums of a row-major [rows, cols] array (the bias gradient), summed in float64. */
export function arrayColumnSums(d: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c] += d[base + c];
  }
  return Float32Array.from(out);
}

/**
 * The error at a hidden layer's input from the error `dh` at its output `h` (row-major, same
 * length), into `out`: dh·(1 − h²) for tanh, dh where h > 0 for relu.
 */
export function activationBackward(dh: Float32Array, h: Float32Array, activation: 'tanh' | 'relu', out: Float32Array): Float32Array {
  if (activation === 'tanh') for (let i = 0; i < dh.length; i++) out[i] = dh[i] * (1 - h[i] * h[i]);
  else for (let i = 0; i < dh.length; i++) out[i] = h[i] > 0 ? dh[i] : 0;
  return out;
}
