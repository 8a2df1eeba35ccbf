// 'simulated' members of a custom pool (createExpertPool's factories.simulated): each spec names one
// of the built-in simulated experts (a copy made by the pool editor may carry a "-2" suffix); its
// size in the spec is the one the reward charges.
import type { ExpertSpec } from '../der/config';
import { createSimulatedPool } from './simulated/simulatedPool';
import { DEFAULT_SIMULATED_EXPERTS } from './simulated/profiles';
import { expertFromPool, type ExpertFactory } from './pool';

export function createSimulatedExpertFactory(seed: number): ExpertFactory {
  return (spec: ExpertSpec) => {
    const profile =
      DEFAULT_SIMULATED_EXPERTS.find((p) => p.name === spec.name) ?? DEFAULT_SIMULATED_EXPERTS.find((p) => p.name === spec.name.replace(/-\d+$/, ''));
    if (!profile) {
      throw new Error(
        `Simulated expert "${spec.name}" is not one of the built-in simulated experts (${DEFAULT_SIMULATED_EXPERTS.map((p) => p.name).join(', ')}). Rename it to one of them or change its kind.`,
      );
    }
    const member = expertFromPool(createSimulatedPool({ seed, experts: [{ ...profile, sizeB: spec.sizeB }] }), 0);
    return { info: { ...member.info, name: spec.name }, call: member.call };
  };
}
