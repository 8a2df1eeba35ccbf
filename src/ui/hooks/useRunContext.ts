// What the charts need to know about the run on screen: expert names, the reward knobs and stop
// rule it was trained with, and whether its pool is simulated. Taken from the session header
// (the run's own config) once the worker is ready, else from the config being edited.
import { useMemo } from 'react';
import type { RewardConfig } from '../../der/config';
import type { StopRule } from '../../der/actions';
import { useTrainingStore } from '../../store/trainingStore';
import { useConfigStore } from '../../store/configStore';

export interface RunContext {
  expertNames: string[];
  expertSizes: number[];
  reward: RewardConfig;
  stopRule: StopRule;
  /** The agent's state carried the route context (state.routeContext). */
  routeContext: boolean;
  simulated: boolean;
  backend: string | null;
}

export function useRunContext(): RunContext {
  const info = useTrainingStore((s) => s.info);
  const config = useConfigStore((s) => s.config);
  return useMemo(() => {
    const runConfig = info?.header.config ?? config;
    return {
      expertNames: info?.experts.map((e) => e.name) ?? [],
      expertSizes: info?.experts.map((e) => e.sizeB) ?? [],
      reward: runConfig.reward,
      stopRule: runConfig.stopRule,
      routeContext: runConfig.state?.routeContext ?? false,
      // Before the worker reports, the pool kind in the config says whether it will be simulated.
      simulated: info ? info.simulated : config.pool.kind === 'simulated',
      backend: info?.backend ?? null,
    };
  }, [info, config]);
}
