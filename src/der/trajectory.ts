// What PPO learns from: one episode's states, actions and rewards, in step order.
// Built by the episode runner from its step records; consumed by the agent's update.

export interface Trajectory {
  /** Encoded state before each step. */
  states: Float32Array[];
  /** Allowed-action mask at each step (true = allowed). */
  allowed: boolean[][];
  actions: number[];
  /** log π_old(a_t | s_t) at collection time. */
  logProbs: number[];
  /** V_old(s_t) at collection time. */
  values: number[];
  rewards: number[];
  /**
   * True when the episode really ended (success, step limit counted as terminal in DER, STOP).
   * False when it was cut off (e.g. CartPole's time limit): then `bootstrapValue` is V(s_T).
   */
  terminal: boolean;
  bootstrapValue: number;
}
