// A training session: the config plus everything a run needs (questions split into train/test,
// experts, scorer, state encoder, agent). Node (cli/nodeSession.ts) and the browser
// (worker/browserSession.ts) load the parts their own way and assemble them here.
import { POOL_TOO_SMALL, type ExperimentConfig } from '../der/config';
import { actionCount } from '../der/actions';
import type { ExpertPool, Question, Scorer, StateEncoder } from '../der/types';
import { splitDataset } from '../data/split';
import { PpoAgent } from '../agent/ppo';
import { withRouteContext } from '../der/routeContext';

export interface SessionParts {
  backend: string;
  questions: Question[];
  pool: ExpertPool;
  scorer: Scorer;
  encoder: StateEncoder;
  /** Episodes run together in one lockstep batch. */
  concurrency: number;
  versions: Record<string, string>;
}

export interface Session extends SessionParts {
  config: ExperimentConfig;
  train: Question[];
  test: Question[];
  agent: PpoAgent;
}

export function assembleSession(config: ExperimentConfig, parts: SessionParts): Session {
  if (parts.pool.experts.length < 2)
    throw new Error(`The expert pool has ${parts.pool.experts.length} expert${parts.pool.experts.length === 1 ? '' : 's'}; ${POOL_TOO_SMALL}.`);
  if (parts.questions.length === 0) throw new Error('The dataset is empty: it has no questions. Choose a dataset with questions and reference answers.');
  const withReferences = parts.questions.filter((q) => q.output !== undefined && q.output.trim() !== '');
  if (withReferences.length === 0) throw new Error('The dataset has no questions with reference answers; training needs references to score answers.');
  const { train, test } = splitDataset(withReferences, config.dataset.testFraction, config.dataset.splitSeed);
  // Route context (state.routeContext): the agent's state is the encoded text plus the route so far.
  const encoder = config.state.routeContext
    ? withRouteContext(parts.encoder, { expertCount: parts.pool.experts.length, tmax: config.reward.tmax })
    : parts.encoder;
  const agent = new PpoAgent({
    stateDim: encoder.dim,
    numActions: actionCount(parts.pool.experts.length, config.stopRule),
    ppo: config.ppo,
    seed: config.seed,
  });
  return { ...parts, encoder, config, train, test, agent };
}
