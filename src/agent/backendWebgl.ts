// tfjs webgl settings that keep the PPO step finite. Kept apart from backendBrowser.ts (which
// imports Vite-only `?url` files) so that browser tests can bundle it on their own.
//
// The NaN this prevents ("PPO update skipped … gradient norm is NaN" on webgl, from the first
// minibatch whose row count is odd): webgl keeps 2-D tensors in packed textures of 2×2 blocks, so
// a tensor with an odd number of rows has a padding row. Packed element-wise ops compute that row
// too, from the padding of their inputs. logSoftmax takes log(Σ exp) of a [rows, 1] tensor whose
// padding is 0, so the log-probabilities' padding holds −log(0): on SwiftShader about +88, and
// p = exp(log p) there is ~1e38. The loss's p·log p (and p·p) overflow to ±Inf in the padding
// row, and the backward pass's packed matMul over the batch dimension multiplies that row by the
// other operand's zero padding: Inf·0 = NaN in every element of every weight gradient. With
// packed binary ops off, each product is computed only at real coordinates and a matMul packs its
// inputs with zero padding. Speed on SwiftShader was similar (one warm PPO step at batch 256 each:
// 329 ms with packed binary ops, 362 ms without; a single noisy sample, not a benchmark).
// e2e/webgl-nan.spec.ts shows both the NaN and its absence.
import * as tf from '@tensorflow/tfjs';

/** Flags set on the webgl backend before it is used (see the header for why). */
export const WEBGL_SAFE_FLAGS: Readonly<Record<string, boolean>> = {
  WEBGL_PACK_BINARY_OPERATIONS: false,
};

/** Apply WEBGL_SAFE_FLAGS to tfjs's environment (call before the first webgl op). */
export function configureWebgl(): void {
  for (const [flag, value] of Object.entries(WEBGL_SAFE_FLAGS)) tf.env().set(flag, value);
}
