// Tiny deterministic adapters for the core's tests. The fake pool writes the score it wants
// into the answer text ("…score=0.61"), and the fake scorer reads it back, so a test controls
// every P_t exactly without any model.
import type { ExpertInfo, ExpertPool, ExpertReply, ExpertRequest, Policy, PolicyDecision, Question, Scorer, StateEncoder } from '../../src/der/types';

export const EXPERTS: ExpertInfo[] = [
  { name: 'small-7B', sizeB: 7, kind: 'simulated' },
  { name: 'mid-12B', sizeB: 12, kind: 'simulated' },
  { name: 'big-13B', sizeB: 13, kind: 'simulated' },
];

export type ScoreFn = (questionId: string, expert: number, t: number) => number;

export interface FakePool extends ExpertPool {
  requests: { expert: number; request: ExpertRequest }[];
}

/** `fail(questionId, t)` returning true makes that call throw. */
export function fakePool(scoreOf: ScoreFn, fail: (questionId: string, t: number) => boolean = () => false): FakePool {
  const requests: FakePool['requests'] = [];
  return {
    experts: EXPERTS,
    knowledgeTransfer: true,
    simulated: true,
    requests,
    async call(expert: number, request: ExpertRequest): Promise<ExpertReply> {
      requests.push({ expert, request });
      await new Promise((resolve) => setTimeout(resolve, 1 + ((expert * 7 + request.t) % 3)));
      if (fail(request.question.id, request.t)) throw new Error('HTTP 500 from the fake endpoint');
      const p = scoreOf(request.question.id, expert, request.t);
      return {
        answer: `answer of ${EXPERTS[expert].name} to ${request.question.id} at ${request.t} score=${p}`,
        cached: false,
        usage: { promptTokens: 10, completionTokens: 5 },
        latencyMs: 3,
      };
    },
  };
}

export interface FakeScorer extends Scorer {
  calls: { candidates: string[]; references: string[] }[];
}

export function fakeScorer(): FakeScorer {
  const calls: FakeScorer['calls'] = [];
  return {
    name: 'fake',
    calls,
    async score(candidates, references) {
      calls.push({ candidates: [...candidates], references: [...references] });
      return candidates.map((c) => Number(/score=([-0-9.eE]+)/.exec(c)?.[1] ?? Number.NaN));
    },
  };
}

export interface FakeEncoder extends StateEncoder {
  batches: string[][];
}

/** Encodes a text as [length, number of "Answer:" chars] so states differ step to step. */
export function fakeEncoder(): FakeEncoder {
  const batches: string[][] = [];
  return {
    name: 'fake',
    dim: 1,
    batches,
    async encode(texts) {
      batches.push([...texts]);
      return texts.map((t) => Float32Array.of(t.length));
    },
  };
}

export interface ScriptedPolicy extends Policy {
  batches: number[];
}

/** Follows a per-question script of actions; probabilities are one-hot-ish with a value estimate. */
export function scriptedPolicy(script: Record<string, number[]>, actionCount: number): ScriptedPolicy {
  const batches: number[] = [];
  return {
    name: 'scripted',
    batches,
    async act(observations) {
      batches.push(observations.length);
      return observations.map((o): PolicyDecision => {
        const action = script[o.question.id][o.t];
        const probs = new Array<number>(actionCount).fill(0.1 / (actionCount - 1));
        probs[action] = 0.9;
        return { action, probs, logProb: Math.log(0.9), value: 0.5 + o.t };
      });
    },
  };
}

export function question(id: string, withReference = true): Question {
  return { id, instruction: `Explain ${id}.`, input: ` Input for ${id}.`, output: withReference ? `reference for ${id}` : undefined, domain: 'test' };
}
