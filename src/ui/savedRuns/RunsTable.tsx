// The saved runs as a table: per run a row of facts (name, date, preset, seed, iterations,
// final mean return, status, SIMULATED) and a row of actions (open, resume, export, import
// weights, delete). Each action is a plain button, reachable with Tab.
import type { SavedRunMeta, RunStatus } from '../../runs/savedRun';
import { SimulatedBadge } from '../charts/SimulatedBadge';
import { keptOfTotal } from '../../store/runsStore';

export interface RunsTableProps {
  runs: SavedRunMeta[];
  statusOf(run: SavedRunMeta): RunStatus;
  resumable(run: SavedRunMeta): boolean;
  selected: string[];
  /** The run shown on the dashboard (highlighted). */
  openRunId: string | null;
  /** Why Open/Resume are unavailable now (a run is training), or null. */
  busyReason: string | null;
  onToggle(id: string): void;
  onOpen(run: SavedRunMeta): void;
  onResume(run: SavedRunMeta): void;
  onExport(run: SavedRunMeta, what: 'jsonl' | 'csv' | 'weights'): void;
  onImportWeights(run: SavedRunMeta): void;
  onDelete(run: SavedRunMeta): void;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

export function RunsTable(props: RunsTableProps) {
  const { runs, selected, openRunId, busyReason } = props;
  return (
    <div className="runs-table-wrap">
      <table className="runs-table" aria-label="Saved runs">
        <thead>
          <tr>
            <th scope="col">Compare</th>
            <th scope="col">Run</th>
            <th scope="col">Preset · seed</th>
            <th scope="col">Iterations</th>
            <th scope="col">Episodes</th>
            <th scope="col">Final mean return</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        {runs.map((run) => {
          const status = props.statusOf(run);
          const live = status === 'running';
          // One <tbody> per run: its facts, then its actions on a row of their own (readable at 1280 px).
          return (
            <tbody key={run.id} data-testid="run-row" data-run-id={run.id} className={run.id === openRunId ? 'open-run' : undefined}>
              <tr>
                <td rowSpan={2}>
                  <input type="checkbox" aria-label={`Compare ${run.name}`} checked={selected.includes(run.id)} onChange={() => props.onToggle(run.id)} />
                </td>
                <th scope="row" className="run-name">
                  {run.name} <SimulatedBadge simulated={run.header.simulated} />
                  {run.source === 'imported' && <span className="tag">imported</span>}
                  {run.storageError && (
                    <span className="bad run-storage-note" title={run.storageError}>
                      saving stopped
                    </span>
                  )}
                  <span className="run-date muted">{formatDate(run.createdAt)}</span>
                </th>
                <td>
                  {run.header.config.preset} · {run.header.seed}
                </td>
                <td data-testid="run-iterations">
                  {run.iterationCount}/{run.header.config.iterations}
                </td>
                <td
                  data-testid="run-episodes"
                  title={
                    keptOfTotal(run)
                      ? 'Beyond the cap a run keeps every episode of its latest iterations and a seeded sample of older ones; its metrics are kept whole.'
                      : undefined
                  }
                >
                  {keptOfTotal(run) ?? run.episodeCount}
                </td>
                <td>{run.lastMeanReturn === null ? '—' : run.lastMeanReturn.toFixed(3)}</td>
                <td>
                  <span className={`run-status status-${status}`}>{status}</span>
                </td>
              </tr>
              <tr className="run-actions-row">
                <td colSpan={6}>
                  <div className="run-actions">
                    <button
                      type="button"
                      onClick={() => props.onOpen(run)}
                      disabled={busyReason !== null}
                      title={busyReason ?? 'Show this run on the dashboard (read-only until resumed)'}
                    >
                      Open
                    </button>
                    {props.resumable(run) && !live && (
                      <button
                        type="button"
                        onClick={() => props.onResume(run)}
                        disabled={busyReason !== null}
                        title={busyReason ?? 'Continue training this run from its last finished iteration'}
                      >
                        Resume
                      </button>
                    )}
                    <button type="button" onClick={() => props.onExport(run, 'jsonl')} title="Download the run file (JSON Lines: header, episodes, iterations)">
                      Export JSONL
                    </button>
                    <button type="button" onClick={() => props.onExport(run, 'csv')} title="Download the metrics, one row per iteration">
                      Export CSV
                    </button>
                    <button
                      type="button"
                      onClick={() => props.onExport(run, 'weights')}
                      disabled={!run.hasWeights}
                      title={run.hasWeights ? 'Download the agent weights after the last update (JSON)' : 'No weights saved yet (no PPO update has finished)'}
                    >
                      Export weights
                    </button>
                    <button
                      type="button"
                      onClick={() => props.onImportWeights(run)}
                      disabled={live}
                      title="Attach a weights file to this run (so it can be resumed)"
                    >
                      Import weights
                    </button>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => props.onDelete(run)}
                      disabled={live}
                      title={live ? 'Pause or stop the run before deleting it' : 'Delete this run from this browser'}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            </tbody>
          );
        })}
      </table>
    </div>
  );
}
