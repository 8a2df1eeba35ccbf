// Renders one catalog entry as its control: slider + number box, number box, checkbox or select.
// Lesson mode hides it when its id is in the hide list.
import type { CheckboxSpec, ControlSpec, NumberSpec, SelectSpec, SliderSpec } from './controlCatalog';
import { FieldFrame, describedBy } from './FieldFrame';
import { NumberInput } from './NumberInput';
import { useConfigField, useHidden } from './useConfigField';

/** Three significant digits: enough for a slider, and keeps 10^x free of float noise. */
function roundSignificant(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(3));
}

function SliderControl({ spec }: { spec: SliderSpec }) {
  const { value, error, edit } = useConfigField<number>(spec.path);
  const log = spec.scale === 'log';
  const position = log ? Math.log10(Math.max(value, spec.min)) : value;
  const toValue = (x: number) => (log ? roundSignificant(10 ** x) : spec.integer ? Math.round(x) : roundSignificant(x));
  return (
    <FieldFrame id={spec.id} label={spec.label} labelFor={`${spec.id}-input`} symbol={spec.symbol} help={spec.help} error={error}>
      <input
        type="range"
        id={`${spec.id}-slider`}
        aria-labelledby={`${spec.id}-label`}
        aria-describedby={describedBy(spec.id, error)}
        aria-valuetext={String(value)}
        min={log ? Math.log10(spec.min) : spec.min}
        max={log ? Math.log10(spec.max) : spec.max}
        step={spec.step}
        value={position}
        onChange={(e) => edit(toValue(Number(e.target.value)))}
      />
      <NumberInput id={`${spec.id}-input`} aria-describedby={describedBy(spec.id, error)} value={value} error={error} onNumber={(n) => edit(n)} />
    </FieldFrame>
  );
}

function NumberControl({ spec }: { spec: NumberSpec }) {
  const { value, error, edit } = useConfigField<number>(spec.path);
  return (
    <FieldFrame id={spec.id} label={spec.label} labelFor={`${spec.id}-input`} symbol={spec.symbol} help={spec.help} error={error}>
      <NumberInput id={`${spec.id}-input`} aria-describedby={describedBy(spec.id, error)} value={value} error={error} onNumber={(n) => edit(n)} />
    </FieldFrame>
  );
}

function CheckboxControl({ spec }: { spec: CheckboxSpec }) {
  const { value, error, edit } = useConfigField<boolean>(spec.path);
  return (
    <FieldFrame id={spec.id} label={spec.label} labelFor={`${spec.id}-input`} symbol={spec.symbol} help={spec.help} error={error} inline>
      <input type="checkbox" id={`${spec.id}-input`} aria-describedby={describedBy(spec.id, error)} checked={value} onChange={(e) => edit(e.target.checked)} />
    </FieldFrame>
  );
}

function SelectControl({ spec }: { spec: SelectSpec }) {
  const { value, error, edit } = useConfigField<string>(spec.path);
  return (
    <FieldFrame id={spec.id} label={spec.label} labelFor={`${spec.id}-input`} symbol={spec.symbol} help={spec.help} error={error}>
      <select id={`${spec.id}-input`} aria-describedby={describedBy(spec.id, error)} value={value} onChange={(e) => edit(e.target.value)}>
        {spec.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function ConfigControl({ spec }: { spec: ControlSpec }) {
  if (useHidden(spec.id)) return null;
  switch (spec.kind) {
    case 'slider':
      return <SliderControl spec={spec} />;
    case 'number':
      return <NumberControl spec={spec} />;
    case 'checkbox':
      return <CheckboxControl spec={spec} />;
    case 'select':
      return <SelectControl spec={spec} />;
  }
}

export function ConfigControls({ specs }: { specs: ControlSpec[] }) {
  return (
    <>
      {specs.map((spec) => (
        <ConfigControl key={spec.id} spec={spec} />
      ))}
    </>
  );
}
