// The Runs tab: saved runs (IndexedDB) listed with their facts, opened on the dashboard, resumed,
// compared on one chart (optionally grouped over seeds), exported and imported, deleted after a
// confirmation. The list refreshes while a run trains, so its iteration count grows on screen.
import { useEffect, useMemo, useRef, useState } from 'react';
import { effectiveStatus, fileStem, isResumable, useRunsStore } from '../../store/runsStore';
import { useTrainingStore } from '../../store/trainingStore';
import type { SavedRunMeta } from '../../runs/savedRun';
import { ConfirmDialog } from './ConfirmDialog';
import { RunsTable } from './RunsTable';
import { RunsOverlayChart } from './RunsOverlayChart';
import { downloadText, readFileText } from '../download';
import type { CurveRun } from './seedGroups';
import './runs.css';
import { errorMessage } from '../../der/errorMessage';
import { FileButton, type FileButtonHandle } from '../controls/FileButton';

export interface RunsViewProps {
  /** Called after a run was opened or resumed, e.g. to switch to the dashboard. */
  onShowRun?(): void;
}

const MIME = { jsonl: 'application/x-ndjson', csv: 'text/csv', weights: 'application/json' } as const;

export function RunsView({ onShowRun }: RunsViewProps) {
  const { runs, loaded, notice, selected, curves, refresh, toggleSelected, remove, importRun, attachWeights, setNotice } = useRunsStore();
  const trainingState = useTrainingStore((s) => s.state);
  const openRunId = useTrainingStore((s) => s.runId);
  const liveRunId = useTrainingStore((s) => (s.savedRun ? null : s.runId));
  const openSavedRun = useTrainingStore((s) => s.openSavedRun);
  const resumeSavedRun = useTrainingStore((s) => s.resumeSavedRun);
  const [grouped, setGrouped] = useState(false);
  const [pendingDelete, setPendingDelete] = useState<SavedRunMeta | null>(null);
  const weightsChooser = useRef<FileButtonHandle>(null);
  const weightsTarget = useRef<SavedRunMeta | null>(null);

  const training = trainingState === 'running' || trainingState === 'loading';
  useEffect(() => {
    void refresh();
    if (!training) return;
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, [refresh, training]);

  const busyReason = training ? 'Pause the training run first' : null;
  const statusOf = (run: SavedRunMeta) => effectiveStatus(run, training ? liveRunId : null);

  const curveRuns: CurveRun[] = useMemo(
    () =>
      runs
        .filter((r) => selected.includes(r.id) && curves[r.id])
        .map((r) => ({
          id: r.id,
          name: r.name,
          config: r.header.config,
          points: curves[r.id].map((it) => [it.iteration, it.report.summary.meanReturn] as const),
        })),
    [runs, selected, curves],
  );
  const anySimulated = runs.some((r) => selected.includes(r.id) && r.header.simulated);

  const guard = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (err) {
      setNotice({ kind: 'error', text: errorMessage(err) });
    }
  };

  const onExport = (run: SavedRunMeta, what: 'jsonl' | 'csv' | 'weights') =>
    guard(async () => {
      const store = useRunsStore.getState();
      const text = what === 'jsonl' ? await store.exportJsonl(run.id) : what === 'csv' ? await store.exportCsv(run.id) : await store.exportWeights(run.id);
      if (text === null) throw new Error(`Run "${run.name}" has no saved weights yet.`);
      const ext = what === 'jsonl' ? 'jsonl' : what === 'csv' ? 'metrics.csv' : 'weights.json';
      downloadText(`${fileStem(run)}.${ext}`, text, MIME[what]);
    });

  const onImportRun = (file: File | undefined) =>
    file &&
    guard(async () => {
      await importRun(await readFileText(file), file.name);
    });

  const onWeightsChosen = (file: File | undefined) => {
    const target = weightsTarget.current;
    weightsTarget.current = null;
    if (!file || !target) return;
    void guard(async () => {
      await attachWeights(target.id, await readFileText(file), file.name);
    });
  };

  return (
    <div className="runs-view">
      <section className="runs-toolbar chart-card" aria-label="Import and compare">
        <FileButton accept=".jsonl,.ndjson,.json,application/x-ndjson" inputLabel="Import run (JSONL)" onFile={(file) => void onImportRun(file)}>
          Import run (JSONL)…
        </FileButton>
        <FileButton ref={weightsChooser} accept=".json,application/json" inputLabel="Weights file" onFile={onWeightsChosen} />
        <label className="inline-control">
          <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} /> Group runs that differ only by seed
        </label>
        <span className="muted">Runs are saved in this browser as they train; a reload keeps them.</span>
      </section>
      {notice && (
        <p className={notice.kind === 'error' ? 'error' : 'notice'} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="runs-notice">
          {notice.text}
        </p>
      )}
      {loaded && runs.length === 0 ? (
        <p className="chart-empty">No saved runs yet: press Start training, or import a run file.</p>
      ) : (
        <RunsTable
          runs={runs}
          statusOf={statusOf}
          resumable={(run) => isResumable({ ...run, status: statusOf(run) })}
          selected={selected}
          openRunId={openRunId}
          busyReason={busyReason}
          onToggle={toggleSelected}
          onOpen={(run) =>
            void guard(async () => {
              await openSavedRun(run.id);
              onShowRun?.();
            })
          }
          onResume={(run) => {
            onShowRun?.();
            void resumeSavedRun(run.id);
          }}
          onExport={(run, what) => void onExport(run, what)}
          onImportWeights={(run) => {
            weightsTarget.current = run;
            weightsChooser.current?.open();
          }}
          onDelete={(run) => setPendingDelete(run)}
        />
      )}
      <RunsOverlayChart runs={curveRuns} grouped={grouped} simulated={anySimulated} />
      <ConfirmDialog
        open={pendingDelete !== null}
        title="Delete this run?"
        message={
          pendingDelete
            ? `"${pendingDelete.name}" (${pendingDelete.episodeCount} episodes, ${pendingDelete.iterationCount} iterations) will be removed from this browser. Export it first to keep a copy. This cannot be undone.`
            : ''
        }
        confirmLabel="Delete run"
        onCancel={() => setPendingDelete(null)}
        onConfirm={() => {
          const run = pendingDelete;
          setPendingDelete(null);
          if (run) void guard(() => remove(run.id));
        }}
      />
    </div>
  );
}
