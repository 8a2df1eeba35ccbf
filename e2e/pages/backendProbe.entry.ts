// A test page (bundled by e2e/support/probePage.ts, never shipped): exposes the project's backend
// probe and measurement to Playwright, to run them on the browser's real webgl/webgpu/wasm.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { configureWebgl, WEBGL_SAFE_FLAGS } from '../../src/agent/backendWebgl';
import { DEFAULT_PROBE_SHAPE, probeActiveBackend } from '../../src/agent/backendProbe';
import { compareToReference, measureBackends } from '../../src/agent/backendMeasure';
import type { BackendName } from '../../src/agent/backend';

setWasmPaths('/wasm/');
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

/** tfjs's own webgl defaults (packed binary ops on), as before the fix. */
function tfjsDefaultWebgl(): void {
  for (const flag of Object.keys(WEBGL_SAFE_FLAGS)) tf.env().set(flag, true);
}

/** Non-finite entries of matMul(hᵀ, p·log p) with p = softmax of random logits [rows, 11]. */
async function paddingProduct(rows: number): Promise<number> {
  const out = tf.tidy(() => {
    const h = tf.randomNormal([rows, 256], 0, 1, 'float32', 1) as tf.Tensor2D;
    const logp = tf.logSoftmax(tf.randomNormal([rows, 11], 0, 1, 'float32', 2)) as tf.Tensor2D;
    return tf.matMul(tf.transpose(h), tf.mul(tf.exp(logp), logp) as tf.Tensor2D);
  });
  const data = await out.data();
  out.dispose();
  return data.filter((x) => !Number.isFinite(x)).length;
}

const api = {
  async paddingNaN(safe: boolean) {
    await tf.setBackend('webgl');
    if (safe) configureWebgl();
    else tfjsDefaultWebgl();
    return { odd: await paddingProduct(15), even: await paddingProduct(16), size: 256 * 11 };
  },
  async ppoStepAgainstCpu(backend: BackendName, safe: boolean) {
    const shape = { ...DEFAULT_PROBE_SHAPE, batch: 63 };
    await tf.setBackend('cpu');
    const ref = await probeActiveBackend(shape, { timedSteps: 1 });
    await tf.setBackend(backend);
    if (backend === 'webgl') (safe ? configureWebgl : tfjsDefaultWebgl)();
    const out = await probeActiveBackend(shape, { timedSteps: 1 });
    return { ...compareToReference(out, ref), skipReason: out.skipReason ?? null, backend: tf.getBackend() };
  },
  async measure(candidates: BackendName[], capMs: number) {
    const m = await measureBackends(
      candidates,
      (name) => {
        if (name === 'webgl') configureWebgl();
        if (name === 'webgpu' && !('gpu' in navigator)) throw new Error('no navigator.gpu');
      },
      { capMs },
    );
    return m;
  },
};

(window as unknown as { probe: typeof api }).probe = api;
document.title = 'probe ready';
