// A frozen agent evaluated by sampling from its policy instead of taking the argmax: the
// evaluation reports both, since PPO trains the stochastic policy and its greedy route can differ.
// The sample of each step comes from its own stream, derived from (seed, question id, t), so a
// draw does not depend on batch order and never touches the agent's own sampling stream (an
// evaluation in the browser leaves the training run exactly as it was).
import { createRng, sampleIndex } from './rng';
import type { Policy } from './types';

export const SAMPLED_POLICY_NAME = 'agent (sampled)';

/**
 * Wraps a policy (usually `greedyPolicy(agent)`, whose decisions carry the full distribution) and
 * replaces each action by a sample from that distribution, restricted to the allowed actions.
 */
export function sampledPolicy(inner: Policy, seed: number, name = SAMPLED_POLICY_NAME): Policy {
  return {
    name,
    async act(observations) {
      const decisions = await inner.act(observations);
      return decisions.map((d, i) => {
        const o = observations[i];
        const masked = d.probs.map((p, a) => (o.allowed[a] && Number.isFinite(p) && p > 0 ? p : 0));
        const total = masked.reduce((s, p) => s + p, 0);
        if (!(total > 0)) throw new Error(`${name}: the policy gives no probability to any allowed action at t = ${o.t} (question ${o.question.id})`);
        const probs = masked.map((p) => p / total);
        const action = sampleIndex(probs, createRng(`sampled:${seed}:${o.question.id}:${o.t}`));
        return { ...d, action, probs, logProb: Math.log(probs[action]) };
      });
    },
  };
}
