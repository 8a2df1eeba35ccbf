// PPO settings: the main knobs as sliders, every implementation detail as a switch (CleanRL style),
// and the rest under "More PPO settings".
import { PPO_MAIN_CONTROLS, PPO_MORE_CONTROLS, PPO_SWITCHES } from './controlCatalog';
import { ConfigControls } from './ConfigControl';
import { FieldFrame, describedBy } from './FieldFrame';
import { useConfigField, useHidden } from './useConfigField';
import { useDraftText } from './useDraftText';
import { useConfigStore } from '../../store/configStore';

function formatSizes(sizes: number[]): string {
  return sizes.join(', ');
}

function parseSizes(text: string): number[] | undefined {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) return undefined;
  return parts.map(Number);
}

function HiddenSizesControl() {
  const field = useConfigField<number[]>(['ppo', 'hiddenSizes']);
  const [text, setText] = useDraftText(field.value, field.error, formatSizes, parseSizes);
  if (useHidden('hiddenSizes')) return null;
  return (
    <FieldFrame
      id="hiddenSizes"
      label="Hidden sizes"
      labelFor="hiddenSizes-input"
      help="Units per hidden layer of actor and critic, comma-separated (e.g. 256, 256)."
      error={field.error}
    >
      <input
        id="hiddenSizes-input"
        type="text"
        aria-describedby={describedBy('hiddenSizes', field.error)}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const sizes = parseSizes(e.target.value);
          if (sizes) field.edit(sizes);
          else useConfigStore.getState().setError(['ppo', 'hiddenSizes'], 'hidden sizes must be whole numbers separated by commas, e.g. 256, 256');
        }}
      />
    </FieldFrame>
  );
}

export function PpoSection() {
  return (
    <>
      <ConfigControls specs={PPO_MAIN_CONTROLS} />
      <fieldset className="switches">
        <legend>PPO switches</legend>
        <ConfigControls specs={PPO_SWITCHES} />
      </fieldset>
      <details className="more">
        <summary>More PPO settings</summary>
        <ConfigControls specs={PPO_MORE_CONTROLS} />
        <HiddenSizesControl />
      </details>
    </>
  );
}
