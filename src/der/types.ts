// The small interfaces through which the pure core talks to its adapters (experts, scorer,
// state encoder, policy). Nothing here knows about tfjs, the DOM or the network.
import type { RouteSoFar } from './routeContext';

/** One question with its reference answer. The question text is `instruction + input` (no separator). */
export interface Question {
  id: string;
  instruction: string;
  input: string;
  /** Reference answer. Absent for a new user question (then only the learned STOP can end a route). */
  output?: string;
  domain?: string;
  /** Stored single-shot answers of known models (e.g. MixInstruct's candidates); recorded experts answer from these. */
  candidates?: { model: string; text: string }[];
}

export function questionText(q: Question): string {
  return q.instruction + q.input;
}

/** Static facts about one expert that the core needs (cost and labelling). */
export interface ExpertInfo {
  name: string;
  /** Parameter count in billions: C(M) in the paper; the reward subtracts α·sizeB. */
  sizeB: number;
  /** Adapter kind, e.g. "simulated", "openai", "browser", "recorded". */
  kind: string;
}

export interface ExpertRequest {
  /** The exact text sent as one user message (raw question at t=0, the rendered KTP later). */
  prompt: string;
  question: Question;
  /** The previous expert's answer, or null at the first step. */
  previous: string | null;
  /** Step index t, counting from 0. */
  t: number;
}

export interface ExpertUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ExpertReply {
  answer: string;
  /** True when the answer came from the response cache (costs nothing). */
  cached?: boolean;
  usage?: ExpertUsage;
  latencyMs?: number;
  /** Money spent on this call, when prices are known. */
  costUSD?: number;
}

/** The pool of experts an agent routes between. Action a ∈ {0..N-1} calls experts[a]. */
export interface ExpertPool {
  readonly experts: readonly ExpertInfo[];
  /** False for recorded pools: answers ignore the previous answer ("no knowledge transfer"). */
  readonly knowledgeTransfer: boolean;
  /** True for the built-in simulated pool; the UI labels its results as a simulation. */
  readonly simulated: boolean;
  call(expertIndex: number, request: ExpertRequest): Promise<ExpertReply>;
  /**
   * How each expert is doing (in `experts` order), for pools whose calls can fail over a network.
   * The trainer routes around cooling-down experts and pauses when all of them are failing.
   */
  health?(): ExpertHealth[];
  /** Forget failure streaks and cooldowns, so that a run resumed by the user tries every expert again. */
  resetHealth?(): void;
}

/** One expert's state under the call policy (see ExpertPool.health). */
export interface ExpertHealth {
  name: string;
  /** Where its requests go (base URL), when it has one. */
  endpoint?: string;
  /** Milliseconds of cooldown left; 0 when the expert may be called. */
  coolingMs: number;
  consecutiveFailures: number;
  /** What its last failed request said. */
  lastError?: string;
}

/** Scores candidate answers against references; returns F1 (P in the paper) per pair. */
export interface Scorer {
  readonly name: string;
  score(candidates: readonly string[], references: readonly string[]): Promise<number[]>;
}

/** Turns state texts into fixed-size vectors for the actor and critic. */
export interface StateEncoder {
  readonly name: string;
  readonly dim: number;
  /**
   * `routes` (the route so far of each state) is passed by the episode runner; text encoders
   * ignore it, the route-context wrapper (der/routeContext.ts) appends it.
   */
  encode(texts: readonly string[], routes?: readonly RouteSoFar[]): Promise<Float32Array[]>;
}

/** What a policy sees when choosing the next action for one episode. */
export interface PolicyObservation {
  question: Question;
  /** Encoded state vector (may be empty for policies that do not use it). */
  state: Float32Array;
  t: number;
  /** Score of the latest answer (NaN before the first answer). Only oracle-style baselines may use it. */
  lastScore: number;
  /** True where the action may be chosen now (STOP is not allowed at t = 0). Length = number of actions. */
  allowed: readonly boolean[];
}

export interface PolicyDecision {
  action: number;
  /** The policy's distribution over all actions (experts, then STOP when the learned stop is on). */
  probs: number[];
  /** log π(action | state) under the distribution used to sample it. */
  logProb: number;
  /** The critic's value estimate V(s), or NaN for policies without a critic. */
  value: number;
}

/** Chooses actions for a batch of episodes at once (batched inference across parallel episodes). */
export interface Policy {
  readonly name: string;
  act(observations: readonly PolicyObservation[]): Promise<PolicyDecision[]>;
}
