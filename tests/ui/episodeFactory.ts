// Small hand-made episodes for the UI tests (numbers chosen so expectations can be worked out by hand).
import type { EpisodeRecord, StepRecord } from '../../src/der/runRecord';

export interface StepSpec {
  expert: string;
  action: number;
  score: number;
  cost?: number;
  answer?: string;
  cached?: boolean;
  tokens?: [number, number];
  costUSD?: number;
  error?: string;
}

export function makeEpisode(index: number, iteration: number, question: string, specs: StepSpec[], extra: Partial<EpisodeRecord> = {}): EpisodeRecord {
  let previous = Number.NaN;
  const steps: StepRecord[] = specs.map((s, t) => {
    const delta = t === 0 ? 0 : s.score - previous;
    previous = s.score;
    const last = t === specs.length - 1;
    return {
      t,
      action: s.action,
      expert: s.expert,
      cost: s.cost ?? 7,
      prompt: t === 0 ? question : `${question} \nThese are the answers: \n(previous)`,
      answer: s.answer ?? `answer ${t}`,
      score: s.score,
      delta,
      reward: s.score,
      terms: { score: s.score, cost: -0.007, increment: 5 * delta, terminal: 0 },
      probs: [0.5, 0.3, 0.2],
      logProb: Math.log(0.5),
      value: 0.1,
      done: last,
      done_reason: last ? 'tmax' : null,
      ...(s.cached !== undefined ? { cached: s.cached } : {}),
      ...(s.tokens ? { usage: { promptTokens: s.tokens[0], completionTokens: s.tokens[1] } } : {}),
      ...(s.costUSD !== undefined ? { costUSD: s.costUSD } : {}),
      ...(s.error !== undefined ? { error: s.error } : {}),
    };
  });
  const calls = steps.filter((s) => s.expert !== 'STOP');
  return {
    type: 'episode',
    iteration,
    index,
    question_id: `q${index}`,
    policy: 'ppo',
    steps,
    return: steps.reduce((a, s) => a + s.reward, 0),
    final_score: calls.length ? calls[calls.length - 1].score : Number.NaN,
    route_length: calls.length,
    route_cost: calls.reduce((a, s) => a + s.cost, 0),
    done_reason: 'tmax',
    ...extra,
  };
}
