// The lean gradient step (leanStep.ts + flatAdam.ts) gives the same numbers as the tape path
// (tfjs autodiff through ppoLossFused/denseOp, tfjs Adam): the loss head against tf.grad, and
// whole agents (same seed, same episodes, several updates) on wasm and on cpu.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { transposeRows } from '../../src/agent/denseOp';
import { lossHead, type LeanBatch } from '../../src/agent/leanStep';
import { PpoAgent } from '../../src/agent/ppo';
import { MASKED_LOGIT } from '../../src/agent/ppoBatch';
import { ppoLossFused } from '../../src/agent/ppoLossFused';
import type { PpoConfig } from '../../src/der/config';
import { REFERENCE_PPO, TUNED_PPO } from '../../src/der/presets';
import { createRng } from '../../src/der/rng';
import { randomEpisodes } from '../support/randomEpisodes';

afterAll(async () => {
  await initBackend('wasm');
});

function randomBatch(n: number, D: number, A: number, seed: number): LeanBatch {
  const rng = createRng(seed);
  const states = Float32Array.from({ length: n * D }, () => rng.normal());
  const maskAdd = new Float32Array(n * A);
  const actions: number[] = [];
  for (let i = 0; i < n; i++) {
    const action = rng.int(A);
    actions.push(action);
    for (let a = 0; a < A; a++) if (a !== action && rng.next() < 0.3) maskAdd[i * A + a] = MASKED_LOGIT;
  }
  const vec = (f: () => number) => Float32Array.from({ length: n }, f);
  return {
    n,
    stateDim: D,
    numActions: A,
    states,
    statesT: transposeRows(states, n, D),
    maskAdd,
    actions,
    oldLogProbs: vec(() => Math.log(1 / A) + rng.normal() * 0.5),
    oldValues: vec(() => rng.normal() * 0.3),
    advantages: vec(() => rng.normal()),
    returns: vec(() => rng.normal()),
  };
}

describe('lossHead (JS) against autodiff of ppoLossFused', () => {
  for (const clipValueLoss of [false, true]) {
    it(`same statistics and same ∂loss/∂logits, ∂loss/∂values (clipValueLoss=${clipValueLoss})`, async () => {
      await initBackend('wasm');
      const n = 50;
      const A = 5;
      const b = randomBatch(n, 3, A, clipValueLoss ? 11 : 12);
      const rng = createRng(5);
      const logits = Float32Array.from({ length: n * A }, () => rng.normal());
      const values = Float32Array.from({ length: n }, () => rng.normal() * 0.5);
      const cfg = { clipRange: 0.2, clipValueLoss, entropyCoef: 0.03, valueCoef: 0.7 };
      const head = lossHead(logits, values, b, cfg);
      const tensors = {
        states: tf.tensor2d(b.states, [n, 3]),
        statesT: tf.tensor2d(b.statesT, [3, n]),
        maskAdd: tf.tensor2d(b.maskAdd, [n, A]),
        actionOneHot: tf.oneHot(tf.tensor1d(Array.from(b.actions), 'int32'), A).toFloat() as tf.Tensor2D,
        oldLogProbs: tf.tensor1d(b.oldLogProbs),
        oldValues: tf.tensor1d(b.oldValues),
        advantages: tf.tensor1d(b.advantages),
        returns: tf.tensor1d(b.returns),
      };
      let stats: tf.Tensor | undefined;
      const [dz, dv] = tf.grads((z: tf.Tensor, v: tf.Tensor) => {
        const out = ppoLossFused(z as tf.Tensor2D, v as tf.Tensor2D, tensors, cfg);
        stats = out.stats;
        return out.loss;
      })([tf.tensor2d(logits, [n, A]), tf.tensor2d(values, [n, 1])]);
      const ref = Array.from(stats!.dataSync());
      expect(ref[4]).toBeGreaterThan(0); // some ratios are clipped
      head.stats.forEach((x, k) => expect(x).toBeCloseTo(ref[k], 5));
      const refDz = dz.dataSync();
      head.dz.forEach((x, i) => expect(x).toBeCloseTo(refDz[i], 6));
      const refDv = dv.dataSync();
      head.dv.forEach((x, i) => expect(x).toBeCloseTo(refDv[i], 6));
    });
  }
});

const CONFIGS: [string, PpoConfig][] = [
  ['tuned (tanh, clipped value, per-network clip, normalisations)', { ...TUNED_PPO, hiddenSizes: [24, 16] }],
  ['reference (sampled episodes, no clip)', { ...REFERENCE_PPO, hiddenSizes: [24, 16], actorLr: 1e-3, criticLr: 1e-3, gradientSteps: 4 }],
  ['relu, global clip, three hidden layers', { ...TUNED_PPO, hiddenSizes: [16, 16, 8], activation: 'relu', gradClipPerNetwork: false }],
];

describe('lean gradient path against the tape path', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const [label, ppo] of CONFIGS) {
      it(`${backend}: ${label}: same weights and metrics after 3 updates`, async () => {
        expect(await initBackend(backend)).toBe(backend);
        const D = 7;
        const A = 5;
        const make = (gradientPath: 'lean' | 'tape') => new PpoAgent({ stateDim: D, numActions: A, ppo, seed: 9, gradientPath });
        const [lean, tape] = [make('lean'), make('tape')];
        expect(lean.gradientPath).toBe('lean');
        for (let u = 0; u < 3; u++) {
          const batch = randomEpisodes(12, D, A, 100 + u);
          const [ml, mt] = [await lean.update(batch), await tape.update(batch)];
          expect(ml.skipped).toBe(false);
          expect(ml.gradSteps).toBe(mt.gradSteps);
          for (const key of ['policyLoss', 'valueLoss', 'entropy', 'approxKl', 'gradNorm'] as const) expect(ml[key]).toBeCloseTo(mt[key], 4);
        }
        const wl = lean.getWeights();
        const wt = tape.getWeights();
        expect(wl.map((e) => e.name)).toEqual(wt.map((e) => e.name));
        let worst = 0;
        let moved = 0;
        const fresh = make('tape');
        const init = fresh.getWeights();
        fresh.dispose();
        wl.forEach((e, k) =>
          e.data.forEach((x, i) => {
            worst = Math.max(worst, Math.abs(x - wt[k].data[i]));
            if (!/Norm\//.test(e.name)) moved = Math.max(moved, Math.abs(x - init[k].data[i]));
          }),
        );
        expect(moved).toBeGreaterThan(1e-3); // the updates did change the weights
        if (process.env.LEAN_STEP_REPORT) console.log(`${backend} ${label}: worst |Δw| ${worst.toExponential(2)}, largest move ${moved.toExponential(2)}`);
        expect(worst).toBeLessThan(2e-5);
        [lean, tape].forEach((a) => a.dispose());
      });
    }
  }
});
