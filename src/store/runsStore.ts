// The Runs tab's state: the saved runs (from IndexedDB), which are selected for the overlay chart,
// and the actions on them (import, export, delete). Reads only: the worker writes live runs.
import { create } from 'zustand';
import { deleteRun, getRunMeta, isQuotaError, listRuns, loadIterations, loadRun, loadWeights, runsDbAvailable, writeRun } from '../runs/runsDb';
import { importRunFile, importWeightsFile, metricsCsv, runToJsonl, weightsToJson } from '../runs/runFiles';
import type { SavedRunMeta, StoredIteration } from '../runs/savedRun';
import { rememberOpenRun, useTrainingStore } from './trainingStore';
import { errorMessage } from '../der/errorMessage';

// The saved-run rules the runs list and the banner show (the UI imports runs/ only through store/).
export { effectiveStatus, isResumable, keptOfTotal } from '../runs/savedRun';
export { fileStem } from '../runs/runFiles';
export { runsDbAvailable } from '../runs/runsDb';

export interface RunsStore {
  runs: SavedRunMeta[];
  loaded: boolean;
  /** The last action's outcome, for a status line: an error names what to do. */
  notice: { kind: 'info' | 'error'; text: string } | null;
  selected: string[];
  /** Reward curves of the selected runs, by id (loaded on selection). */
  curves: Record<string, StoredIteration[]>;
  refresh(): Promise<void>;
  toggleSelected(id: string): void;
  remove(id: string): Promise<void>;
  importRun(text: string, fileName: string): Promise<SavedRunMeta | null>;
  attachWeights(runId: string, text: string, fileName: string): Promise<boolean>;
  exportJsonl(runId: string): Promise<string>;
  exportCsv(runId: string): Promise<string>;
  /** null when the run has no saved weights. */
  exportWeights(runId: string): Promise<string | null>;
  setNotice(notice: RunsStore['notice']): void;
}

function saveErrorText(err: unknown): string {
  if (isQuotaError(err)) return 'Storage full: delete old runs or export them, then import again. Nothing was changed.';
  return `Saving failed: ${errorMessage(err)}. Nothing was changed.`;
}

async function mustLoad(runId: string) {
  const run = await loadRun(runId);
  if (!run) throw new Error('That run is no longer saved (deleted in another tab?).');
  return run;
}

export const useRunsStore = create<RunsStore>((set, get) => ({
  runs: [],
  loaded: false,
  notice: null,
  selected: [],
  curves: {},

  async refresh() {
    if (!runsDbAvailable()) {
      set({ loaded: true, notice: { kind: 'error', text: 'This browser has no IndexedDB (private mode?): runs cannot be saved.' } });
      return;
    }
    try {
      const runs = await listRuns();
      const ids = new Set(runs.map((r) => r.id));
      set((s) => ({ runs, loaded: true, selected: s.selected.filter((id) => ids.has(id)) }));
      // Curves of selected runs that are still training grow: reload them.
      await Promise.all(get().selected.map((id) => loadCurve(id)));
    } catch (err) {
      set({ loaded: true, notice: { kind: 'error', text: `Could not read saved runs: ${errorMessage(err)}` } });
    }
  },

  toggleSelected(id) {
    const selected = get().selected;
    if (selected.includes(id)) set({ selected: selected.filter((s) => s !== id) });
    else {
      set({ selected: [...selected, id] });
      void loadCurve(id);
    }
  },

  async remove(id) {
    await deleteRun(id);
    const training = useTrainingStore.getState();
    if (training.runId === id && training.savedRun) {
      useTrainingStore.setState({ savedRun: null, runId: null, info: null, episodes: [], iterations: [], state: 'idle' });
      rememberOpenRun(null);
    }
    set((s) => {
      const curves = { ...s.curves };
      delete curves[id];
      return { selected: s.selected.filter((x) => x !== id), curves, notice: { kind: 'info', text: 'Run deleted.' } };
    });
    await get().refresh();
  },

  async importRun(text, fileName) {
    let imported;
    try {
      imported = importRunFile(text, fileName);
    } catch (err) {
      set({ notice: { kind: 'error', text: errorMessage(err) } });
      return null;
    }
    try {
      await writeRun(imported);
    } catch (err) {
      set({ notice: { kind: 'error', text: saveErrorText(err) } });
      return null;
    }
    set({ notice: { kind: 'info', text: `Imported ${imported.meta.episodeCount} episodes and ${imported.iterations.length} iterations as a new run.` } });
    await get().refresh();
    return imported.meta;
  },

  async attachWeights(runId, text, fileName) {
    const meta = await getRunMeta(runId);
    if (!meta) {
      set({ notice: { kind: 'error', text: 'That run is no longer saved.' } });
      return false;
    }
    let weights;
    try {
      weights = importWeightsFile(text, fileName, meta);
    } catch (err) {
      set({ notice: { kind: 'error', text: errorMessage(err) } });
      return false;
    }
    try {
      await writeRun({ meta: { ...meta, hasWeights: true, updatedAt: new Date().toISOString() }, weights });
    } catch (err) {
      set({ notice: { kind: 'error', text: saveErrorText(err) } });
      return false;
    }
    set({ notice: { kind: 'info', text: `Weights from ${fileName} attached to "${meta.name}".` } });
    await get().refresh();
    return true;
  },

  async exportJsonl(runId) {
    const run = await mustLoad(runId);
    return runToJsonl(
      run.meta,
      run.episodes.map((e) => e.record),
      run.iterations.map((i) => i.report),
    );
  },

  async exportCsv(runId) {
    const run = await mustLoad(runId);
    return metricsCsv(run.iterations.map((i) => i.report));
  },

  async exportWeights(runId) {
    const [meta, weights] = await Promise.all([getRunMeta(runId), loadWeights(runId)]);
    return meta && weights ? weightsToJson(weights, meta) : null;
  },

  setNotice(notice) {
    set({ notice });
  },
}));

async function loadCurve(id: string): Promise<void> {
  const iterations = await loadIterations(id);
  useRunsStore.setState((s) => ({ curves: { ...s.curves, [id]: iterations } }));
}
