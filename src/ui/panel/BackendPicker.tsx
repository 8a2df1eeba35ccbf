// The compute backend for tfjs in the worker. `?backend=` in the URL sets it; the picker writes it
// back into the query, so a copied link keeps it. The active backend is what the worker reports.
import type { BackendChoice } from '../../store/trainingStore';
import { useTrainingStore } from '../../store/trainingStore';
import { queryWithBackend } from '../../der/urlState';
import { FieldFrame } from './FieldFrame';

const CHOICES: { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'auto (webgpu → webgl → wasm → cpu)' },
  { value: 'webgpu', label: 'webgpu' },
  { value: 'webgl', label: 'webgl' },
  { value: 'wasm', label: 'wasm' },
  { value: 'cpu', label: 'cpu' },
];

export function setBackendChoice(backend: BackendChoice): void {
  useTrainingStore.setState({ backendChoice: backend });
  if (typeof history !== 'undefined') history.replaceState(history.state, '', `${location.pathname}${queryWithBackend(location.search, backend)}${location.hash}`);
}

export function BackendPicker() {
  const choice = useTrainingStore((s) => s.backendChoice);
  const active = useTrainingStore((s) => s.info?.backend ?? null);
  return (
    <FieldFrame id="backend" label="Compute backend" labelFor="backend-input" help="Where the actor and critic run; auto takes the fastest that works here.">
      <select id="backend-input" aria-describedby="backend-help" value={choice} onChange={(e) => setBackendChoice(e.target.value as BackendChoice)}>
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <output className="active-backend" aria-label="Active backend" data-testid="active-backend">
        active: {active ?? '— (set when a run starts)'}
      </output>
    </FieldFrame>
  );
}
