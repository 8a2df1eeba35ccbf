// The user's dataset file: dropped or picked in the panel, checked here, kept in IndexedDB, and handed
// to the training store as canonical JSONL. The config only names it (dataset.source = file name).
import { create } from 'zustand';
import type { FieldMapping } from '../data/datasetSchema';
import { decodeUtf8 } from '../data/decodeText';
import { DEFAULT_MAX_DATASET_BYTES } from '../data/loadDataset';
import { DatasetError, describeIssue } from '../data/datasetSchema';
import { inspectDataset, type DatasetInspection } from './datasetFile';
import { clearStoredDataset, loadStoredDataset, saveStoredDataset } from './datasetIdb';
import { useConfigStore } from './configStore';
import { useTrainingStore } from './trainingStore';
import { errorMessage } from '../der/errorMessage';

export interface DatasetFileState {
  name: string;
  text: string;
  mapping: FieldMapping;
}

export interface DatasetStore {
  file: DatasetFileState | null;
  inspection: DatasetInspection | null;
  /** A problem reading or storing the file itself (not its rows). */
  fileError: string | null;
  restoring: boolean;
  loadFile(file: File): Promise<void>;
  loadText(name: string, text: string): Promise<void>;
  setMapping(mapping: FieldMapping): Promise<void>;
  chooseSample(): void;
  forget(): Promise<void>;
  restore(): Promise<void>;
}

/** Check the file; when it is usable, make it the run's dataset. */
function apply(file: DatasetFileState, select: boolean): DatasetInspection {
  const inspection = inspectDataset(file.text, file.name, file.mapping);
  if (inspection.ok) {
    useTrainingStore.setState({ datasetText: inspection.canonicalJsonl });
    if (select) useConfigStore.getState().edit(['dataset', 'source'], file.name);
  } else {
    useTrainingStore.setState({ datasetText: null });
  }
  return inspection;
}

export const useDatasetStore = create<DatasetStore>((set, get) => ({
  file: null,
  inspection: null,
  fileError: null,
  // Until restore() has looked in IndexedDB, a config naming a file is not reported as missing.
  restoring: typeof indexedDB !== 'undefined',

  async loadFile(file) {
    // Refused before reading: a huge file would be read whole into memory first.
    if (file.size > DEFAULT_MAX_DATASET_BYTES) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      set({ fileError: `${file.name}: the file is ${mb(file.size)}; the limit is ${mb(DEFAULT_MAX_DATASET_BYTES)}. Use a subset of the rows.` });
      return;
    }
    let text: string;
    try {
      text = decodeUtf8(new Uint8Array(await file.arrayBuffer()), file.name).text;
    } catch (error) {
      const message = error instanceof DatasetError ? error.issues.map(describeIssue).join('\n') : errorMessage(error);
      set({ fileError: `${file.name}: ${message}` });
      return;
    }
    await get().loadText(file.name, text);
  },
  async loadText(name, text) {
    const file: DatasetFileState = { name, text, mapping: {} };
    set({ file, inspection: apply(file, true), fileError: null });
    try {
      await saveStoredDataset({ ...file, savedAt: Date.now() });
    } catch (error) {
      set({ fileError: `The file is used now but could not be kept for the next visit (IndexedDB: ${errorMessage(error)}).` });
    }
  },
  async setMapping(mapping) {
    const current = get().file;
    if (!current) return;
    const file = { ...current, mapping };
    set({ file, inspection: apply(file, true) });
    await saveStoredDataset({ ...file, savedAt: Date.now() }).catch(() => undefined);
  },
  chooseSample() {
    useConfigStore.getState().edit(['dataset', 'source'], 'sample');
  },
  async forget() {
    set({ file: null, inspection: null, fileError: null });
    useTrainingStore.setState({ datasetText: null });
    if (useConfigStore.getState().config.dataset.source !== 'sample') get().chooseSample();
    await clearStoredDataset().catch(() => undefined);
  },
  async restore() {
    set({ restoring: true });
    try {
      const stored = await loadStoredDataset();
      if (stored && !get().file) {
        const file = { name: stored.name, text: stored.text, mapping: stored.mapping ?? {} };
        // A link may name another file; the stored one is only selected when the config names it.
        set({ file, inspection: apply(file, false) });
      }
    } catch (error) {
      set({ fileError: `The file kept from an earlier visit could not be read (IndexedDB: ${errorMessage(error)}).` });
    } finally {
      set({ restoring: false });
    }
  },
}));
