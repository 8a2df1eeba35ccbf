// The first line of a run record: the config, the seed, when, with what versions and which experts.
import type { ExperimentConfig } from '../der/config';
import type { RunHeader } from '../der/runRecord';
import type { ExpertPool } from '../der/types';

export function buildRunHeader(config: ExperimentConfig, pool: ExpertPool, versions: Record<string, string>, created = new Date()): RunHeader {
  return {
    type: 'run',
    config,
    seed: config.seed,
    created: created.toISOString(),
    versions,
    experts: pool.experts.map((e) => ({ name: e.name, sizeB: e.sizeB, kind: e.kind })),
    simulated: pool.simulated,
    knowledgeTransfer: pool.knowledgeTransfer,
  };
}
