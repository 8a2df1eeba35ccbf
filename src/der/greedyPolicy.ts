// A frozen agent as an evaluation Policy: always the most probable allowed action (no sampling),
// so an evaluation is deterministic and does not depend on the agent's sampling stream.
import { stopAction } from './actions';
import type { Policy, PolicyDecision, PolicyObservation } from './types';

/** What the wrapper needs from an agent (PpoAgent has both). */
export interface GreedyActor {
  /** Experts, plus STOP when the agent was trained with the learned stop. */
  readonly numActions: number;
  actGreedy(observations: readonly PolicyObservation[]): Promise<PolicyDecision[]>;
}

export const AGENT_POLICY_NAME = 'agent (greedy)';

/**
 * Wraps `agent.actGreedy` as a Policy for the episode runner.
 *
 * Stop modes: an agent trained with the learned STOP (N + 1 actions) can also be evaluated under
 * the threshold rule: its STOP is masked out, the route ends at p0 or Tmax, and its probabilities
 * are reported over the N experts. An agent trained without STOP (N actions) cannot be evaluated
 * under the learned rule: it has no way to stop, and that is refused with a clear message.
 */
export function greedyPolicy(agent: GreedyActor, expertCount: number, name = AGENT_POLICY_NAME): Policy {
  if (agent.numActions !== expertCount && agent.numActions !== expertCount + 1) {
    throw new Error(
      `the agent has ${agent.numActions} actions but the pool has ${expertCount} experts: it was trained for another pool (expected ${expertCount} or ${expertCount + 1} with STOP)`,
    );
  }
  return {
    name,
    async act(observations) {
      if (observations.length === 0) return [];
      const maskSize = observations[0].allowed.length;
      if (maskSize === agent.numActions) return agent.actGreedy(observations);
      if (maskSize === expertCount && agent.numActions === expertCount + 1) {
        const extended = observations.map((o) => ({ ...o, allowed: [...o.allowed, false] }));
        const decisions = await agent.actGreedy(extended);
        return decisions.map((d) => {
          if (d.action === stopAction(expertCount)) throw new Error("greedy agent chose STOP although it was masked out (a bug in the agent's masking)");
          return { ...d, probs: d.probs.slice(0, expertCount) };
        });
      }
      throw new Error(
        `the agent was trained without a STOP action (${agent.numActions} actions for ${expertCount} experts), so it cannot be evaluated with the learned stop: use the threshold stop, or train with the learned stop rule`,
      );
    },
  };
}
