// y = x·W + b with a hand-written gradient. tfjs-wasm runs matMul with transposeA/transposeB
// ~10× slower than a plain matMul (measured: 16 ms vs 1.2 ms at 256×384×256), and the built-in
// gradient of matMul uses exactly those; transposing explicitly first is far cheaper.
import * as tf from '@tensorflow/tfjs';

function makeDense(inputGrad: boolean) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([x, w]);
    const value: tf.Tensor = tf.fused.matMul({ a: x, b: w, bias: b });
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      // The first layer's input is data: its gradient is never used, so skip that matMul.
      const dx = inputGrad ? tf.matMul(dy2, tf.transpose(sw)) : tf.zerosLike(sx);
      return [dx, tf.matMul(tf.transpose(sx), dy2), tf.sum(dy2, 0)];
    };
    return { value, gradFunc };
  });
}

const denseWithInputGrad = makeDense(true);
const denseOnData = makeDense(false);

/**
 * Dense layer x·W + b. `inputIsData`: x is a constant (states), so its gradient is returned as
 * zeros — do not differentiate with respect to x through such a layer.
 */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, inputIsData: boolean): tf.Tensor2D {
  return (inputIsData ? denseOnData : denseWithInputGrad)(x, w, b) as tf.Tensor2D;
}
