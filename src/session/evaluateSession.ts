// Evaluate the agent of an assembled session (Node CLI or the browser worker) against the
// baselines: the frozen agent runs greedily and sampled (several draws), the random baselines
// over many draws, the best single expert is chosen on the training
// split, and exact-match accuracy is added for GSM8K-style references. No DOM, no Node APIs.
import type { StopRule } from '../der/actions';
import { evaluateMethods, type Evaluation } from '../der/evaluation';
import { greedyPolicy } from '../der/greedyPolicy';
import type { Question } from '../der/types';
import { exactMatchScore } from '../scoring/exactMatch';
import type { Session } from './session';

export type EvalSplit = 'test' | 'train' | 'all';

export interface SessionEvaluationOptions {
  split: EvalSplit;
  stopMode: StopRule;
  /** Use only the first N questions of the split (quick looks). */
  maxQuestions?: number;
  /** Choose the best single expert on at most N training questions. */
  trainQuestions?: number;
  /** Draws of the random pick and random route (default 20), and of the sampled agent (default 5; 0 = none). */
  randomSeeds?: number;
  sampledDraws?: number;
  log?: (message: string) => void;
}

/** True when every reference carries a GSM8K final answer (`#### 42`), so exact match applies. */
export function isGsm8kStyle(questions: readonly Question[]): boolean {
  return questions.length > 0 && questions.every((q) => (q.output ?? '').includes('####'));
}

export function evalQuestions(session: Pick<Session, 'train' | 'test'>, options: Pick<SessionEvaluationOptions, 'split' | 'maxQuestions'>): Question[] {
  const all = options.split === 'test' ? session.test : options.split === 'train' ? session.train : [...session.train, ...session.test];
  return options.maxQuestions !== undefined ? all.slice(0, options.maxQuestions) : all;
}

/** Refuses the learned stop for an agent that has no STOP action (trained with the threshold rule). */
export function checkStopMode(session: Pick<Session, 'agent' | 'pool'>, stopMode: StopRule): void {
  if (stopMode === 'learned' && session.agent.numActions === session.pool.experts.length) {
    throw new Error(
      'the run was trained with the threshold stop (no STOP action), so its agent cannot use the learned STOP: evaluate with --stop threshold, or train with --stop-rule learned',
    );
  }
}

/** Evaluate the session's agent (holding its trained weights) and the baselines; `randomSeed` seeds the random baselines. */
export async function evaluateSession(session: Session, options: SessionEvaluationOptions, randomSeed: number): Promise<Evaluation> {
  checkStopMode(session, options.stopMode);
  const test = evalQuestions(session, options);
  return evaluateMethods(
    { pool: session.pool, scorer: session.scorer, encoder: session.encoder },
    {
      test,
      train: options.trainQuestions !== undefined ? session.train.slice(0, options.trainQuestions) : session.train,
      agent: greedyPolicy(session.agent, session.pool.experts.length),
      stopMode: options.stopMode,
      reward: session.config.reward,
      ktp: session.config.ktp,
      randomSeed,
      randomSeeds: options.randomSeeds,
      sampledDraws: options.sampledDraws,
      accuracy: isGsm8kStyle(test) ? exactMatchScore : undefined,
      onProgress: (m) => options.log?.(`  ${m}`),
    },
  );
}
