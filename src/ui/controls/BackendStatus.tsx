// The backend in the status line, with how it was chosen: by this browser's measurement (auto),
// or by hand; a hand-picked backend that failed the numerical check says so.
import { useTrainingStore } from '../../store/trainingStore';
import { describeTiming } from '../../store/backendMeasurementStore';

export function BackendStatus() {
  const info = useTrainingStore((s) => s.info);
  const choice = useTrainingStore((s) => s.backendChoice);
  const m = info?.backendMeasurement;
  const mine = m?.results.find((r) => r.name === info?.backend);
  const how = !info
    ? ''
    : choice !== 'auto'
      ? 'chosen by hand'
      : m
        ? `auto, ${info.backendMeasuredNow ? 'measured now' : 'measured earlier'}${mine?.scoreMs !== undefined ? `: ${mine.scoreMs.toFixed(0)} ms/step` : ''}`
        : 'auto';
  return (
    <span title={m ? m.results.map(describeTiming).join('\n') : undefined}>
      backend <b data-testid="status-backend">{info?.backend ?? '—'}</b>
      {how && <span data-testid="status-backend-how"> ({how})</span>}
      {info?.backendNote && (
        <span className="storage-warning" data-testid="status-backend-note">
          {' '}
          {info.backendNote}
        </span>
      )}
    </span>
  );
}
