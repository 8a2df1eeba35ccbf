// The compute backend for tfjs in the worker. `?backend=` in the URL sets it; the picker writes it
// back into the query, so a copied link keeps it. `auto` takes the fastest backend that agrees
// with cpu in this browser's measurement (agent/backendMeasure.ts), shown here with its timings;
// "Measure again" forgets it. A backend that failed the check says why when picked by hand.
import type { BackendChoice } from '../../store/trainingStore';
import { useTrainingStore } from '../../store/trainingStore';
import { queryWithBackend } from '../../der/urlState';
import { describeTiming, useBackendMeasurement, type BackendMeasurement, type BackendTiming } from '../../store/backendMeasurementStore';
import { FieldFrame } from './FieldFrame';
import './backendPicker.css';

const CHOICES: BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export function setBackendChoice(backend: BackendChoice): void {
  useTrainingStore.setState({ backendChoice: backend });
  if (typeof history !== 'undefined')
    history.replaceState(history.state, '', `${location.pathname}${queryWithBackend(location.search, backend)}${location.hash}`);
}

/** Short label of a backend's measured result, for the option list. */
export function timingLabel(t: BackendTiming | undefined): string {
  if (!t) return '';
  if (t.status === 'agrees') return ` — ${t.scoreMs!.toFixed(t.scoreMs! < 10 ? 1 : 0)} ms`;
  if (t.status === 'disagrees') return ' — computes wrongly';
  return t.status === 'timeout' ? ' — over the time cap' : ' — unavailable';
}

function optionLabel(choice: BackendChoice, m: BackendMeasurement | null): string {
  if (choice === 'auto') return m ? `auto (measured: ${m.chosen})` : 'auto (measured at Start)';
  return `${choice}${timingLabel(m?.results.find((r) => r.name === choice))}`;
}

function MeasurementTable({ m }: { m: BackendMeasurement }) {
  const order = ['webgpu', 'webgl', 'wasm', 'cpu'];
  const rows = [...m.results].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return (
    <table className="backend-timings" data-testid="backend-timings">
      <caption>
        Measured {m.measuredAt.slice(0, 16).replace('T', ' ')} UTC: one PPO gradient step (batch {m.shape.batch}), one act (batch {m.shape.actBatch})
        {m.withEncoder ? ', one encoder call' : ''}; checked against cpu (tolerance {m.tolerance}); webgl and webgpu get at most {m.capMs / 1000} s each (shader
        compilation included).
      </caption>
      <tbody>
        {rows.map((t) => (
          <tr key={t.name} data-backend={t.name} data-status={t.status} className={t.name === m.chosen ? 'chosen' : undefined}>
            <th scope="row">
              {t.name}
              {t.name === m.chosen ? ' ✓' : ''}
            </th>
            <td>{describeTiming(t).slice(t.name.length + 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BackendPicker() {
  const choice = useTrainingStore((s) => s.backendChoice);
  const active = useTrainingStore((s) => s.info?.backend ?? null);
  const { measurement, cleared, measureAgain } = useBackendMeasurement();
  const picked = choice !== 'auto' ? measurement?.results.find((r) => r.name === choice) : undefined;
  return (
    <div className="backend-picker">
      <FieldFrame
        id="backend"
        label="Compute backend"
        labelFor="backend-input"
        help="Where the actor and critic run. auto measures each backend once in this browser (a PPO step checked against cpu) and takes the fastest that agrees."
      >
        <select id="backend-input" aria-describedby="backend-help" value={choice} onChange={(e) => setBackendChoice(e.target.value as BackendChoice)}>
          {CHOICES.map((c) => (
            <option key={c} value={c}>
              {optionLabel(c, measurement)}
            </option>
          ))}
        </select>
        <output className="active-backend" aria-label="Active backend" data-testid="active-backend">
          active: {active ?? '— (set when a run starts)'}
        </output>
      </FieldFrame>
      {picked && picked.status !== 'agrees' && (
        <p className="storage-warning" role="status" data-testid="backend-warning">
          {picked.status === 'disagrees' ? `${choice} failed this browser's numerical check: ${picked.reason}` : `${choice}: ${picked.reason}`}
        </p>
      )}
      {measurement && <MeasurementTable m={measurement} />}
      <button type="button" onClick={() => void measureAgain()} disabled={cleared && !measurement} data-testid="measure-again">
        {cleared && !measurement ? 'Measures at the next Start' : 'Measure again'}
      </button>
    </div>
  );
}
