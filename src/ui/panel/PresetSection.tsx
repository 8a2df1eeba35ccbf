// Preset and seed. Choosing a preset replaces the knobs; editing a knob turns the preset to "custom".
import { useConfigStore } from '../../store/configStore';
import type { PresetName } from '../../der/presets';
import { FieldFrame, describedBy } from './FieldFrame';
import { NumberInput } from './NumberInput';
import { useConfigField, useHidden } from './useConfigField';

const PRESET_HELP: Record<string, string> = {
  reference: 'The authors’ constants: Monte-Carlo advantages, tiny learning rates, sampled-episode batches.',
  tuned: 'CleanRL-style PPO: GAE, normalised advantages, clipped value loss, larger learning rates.',
  custom: 'Your own knobs: pick a preset to start again from one.',
};

export function PresetSection() {
  const preset = useConfigStore((s) => s.config.preset);
  const choosePreset = useConfigStore((s) => s.choosePreset);
  const seed = useConfigField<number>(['seed']);
  const seedHidden = useHidden('seed');
  return (
    <>
      <FieldFrame id="preset" label="Preset" labelFor="preset-input" help={PRESET_HELP[preset]}>
        <select
          id="preset-input"
          aria-describedby="preset-help"
          value={preset}
          onChange={(e) => e.target.value !== 'custom' && choosePreset(e.target.value as PresetName)}
        >
          <option value="reference">reference</option>
          <option value="tuned">tuned</option>
          <option value="custom" disabled>
            custom
          </option>
        </select>
      </FieldFrame>
      {!seedHidden && (
        <FieldFrame
          id="seed"
          label="Seed"
          labelFor="seed-input"
          help="Seeds the policy, the sampling and the simulated experts: the same seed gives the same run."
          error={seed.error}
        >
          <NumberInput
            id="seed-input"
            aria-describedby={describedBy('seed', seed.error)}
            value={seed.value}
            error={seed.error}
            onNumber={(n) => seed.edit(n)}
          />
          <button type="button" onClick={() => seed.edit(Math.floor(Math.random() * 1_000_000))}>
            New seed
          </button>
        </FieldFrame>
      )}
    </>
  );
}
