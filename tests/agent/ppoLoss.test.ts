import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { transposeRows } from '../../src/agent/denseOp';
import { Mlp } from '../../src/agent/mlp';
import { MASKED_LOGIT } from '../../src/agent/ppoBatch';
import { ppoLoss, type MinibatchTensors } from '../../src/agent/ppoLoss';
import { ppoLossFused } from '../../src/agent/ppoLossFused';
import { createRng } from '../../src/der/rng';

beforeAll(async () => {
  await initBackend('wasm');
});

const N = 40;
const D = 5;
const A = 4;

/** A minibatch whose old log-probs/values are perturbed so that ratios and values get clipped. */
function makeBatch(seed: number): MinibatchTensors {
  const rng = createRng(seed);
  const states = Float32Array.from({ length: N * D }, () => rng.normal());
  const maskAdd = new Float32Array(N * A);
  const oneHot = new Float32Array(N * A);
  for (let i = 0; i < N; i++) {
    const action = rng.int(A);
    for (let a = 0; a < A; a++) if (a !== action && rng.next() < 0.3) maskAdd[i * A + a] = MASKED_LOGIT;
    oneHot[i * A + action] = 1;
  }
  const vec = (f: () => number) => tf.tensor1d(Float32Array.from({ length: N }, f));
  return {
    states: tf.tensor2d(states, [N, D]),
    statesT: tf.tensor2d(transposeRows(states, N, D), [D, N]),
    maskAdd: tf.tensor2d(maskAdd, [N, A]),
    actionOneHot: tf.tensor2d(oneHot, [N, A]),
    oldLogProbs: vec(() => Math.log(1 / A) + rng.normal() * 0.5),
    oldValues: vec(() => rng.normal() * 0.3),
    advantages: vec(() => rng.normal()),
    returns: vec(() => rng.normal()),
  };
}

describe('hand-written PPO loss gradient', () => {
  for (const clipValueLoss of [false, true]) {
    it(`matches autodiff of the reference loss (clipValueLoss=${clipValueLoss})`, () => {
      const cfg = { clipRange: 0.2, clipValueLoss, entropyCoef: 0.05, valueCoef: 0.7 };
      const actor = new Mlp({ name: 'a', inputDim: D, hiddenSizes: [16], outputDim: A, activation: 'tanh', orthogonalInit: true, outputGain: 1 }, createRng(1));
      const critic = new Mlp(
        { name: 'c', inputDim: D, hiddenSizes: [16], outputDim: 1, activation: 'tanh', orthogonalInit: true, outputGain: 1 },
        createRng(2),
      );
      const batch = makeBatch(clipValueLoss ? 3 : 4);
      const vars = [...actor.variables, ...critic.variables];
      const reference = tf.variableGrads(() => ppoLoss(actor, critic, batch, cfg).loss, vars);
      let fusedStats: tf.Tensor | undefined;
      const fused = tf.variableGrads(() => {
        const out = ppoLossFused(actor.forward(batch.states, batch.statesT), critic.forward(batch.states, batch.statesT), batch, cfg);
        fusedStats = out.stats;
        return out.loss;
      }, vars);
      const refStats = tf.tidy(() => ppoLoss(actor, critic, batch, cfg).stats);
      // The batch exercises both branches: some ratios are clipped.
      expect(refStats.dataSync()[4]).toBeGreaterThan(0);
      Array.from(fusedStats!.dataSync()).forEach((s, k) => expect(s).toBeCloseTo(refStats.dataSync()[k], 5));
      expect(fused.value.dataSync()[0]).toBeCloseTo(reference.value.dataSync()[0], 5);
      for (const v of vars) {
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(fused.grads[v.name], reference.grads[v.name]))).dataSync()[0]);
        const scale = tf.tidy(() => tf.max(tf.abs(reference.grads[v.name])).dataSync()[0]);
        expect(diff).toBeLessThan(1e-5 + 1e-4 * scale);
      }
      tf.dispose([
        reference.value,
        fused.value,
        fusedStats!,
        refStats,
        ...Object.values(reference.grads),
        ...Object.values(fused.grads),
        ...Object.values(batch),
      ]);
      actor.dispose();
      critic.dispose();
    });
  }
});
