// The dataset: the bundled sample, or a dropped JSONL / JSON / CSV file checked in the page (format
// and MixInstruct / GSM8K layout detected, problems named by line, columns mappable), and the
// train/test split with its seed. The file is kept in IndexedDB so a reload does not lose it.
import { useRef, useState } from 'react';
import type { FieldMapping } from '../../data/datasetSchema';
import { useConfigStore } from '../../store/configStore';
import { FORMAT_LABELS, SHAPE_LABELS } from '../../store/datasetFile';
import { useDatasetStore } from '../../store/datasetStore';
import type { ControlSpec } from './controlCatalog';
import { ConfigControls } from './ConfigControl';
import { useHidden } from './useConfigField';
import { FileButton, type FileButtonHandle } from '../controls/FileButton';

const SPLIT_CONTROLS: ControlSpec[] = [
  {
    kind: 'slider',
    id: 'testFraction',
    label: 'Test fraction',
    path: ['dataset', 'testFraction'],
    min: 0,
    max: 0.9,
    step: 0.05,
    help: 'Share of the questions held out for testing; the rest trains the agent.',
  },
  {
    kind: 'number',
    id: 'splitSeed',
    label: 'Split seed',
    path: ['dataset', 'splitSeed'],
    step: 1,
    help: 'Seeds the (stratified) train/test split, apart from the run’s seed.',
  },
];

const MAPPED_FIELDS: { field: keyof FieldMapping; label: string }[] = [
  { field: 'instruction', label: 'Instruction column' },
  { field: 'input', label: 'Input column' },
  { field: 'output', label: 'Reference answer column' },
  { field: 'domain', label: 'Domain column' },
  { field: 'id', label: 'Id column' },
];

function FieldMappingEditor() {
  const file = useDatasetStore((s) => s.file);
  const inspection = useDatasetStore((s) => s.inspection);
  const setMapping = useDatasetStore((s) => s.setMapping);
  if (!file || !inspection || inspection.columns.length === 0) return null;
  const generic = inspection.shape === 'generic' || !inspection.ok;
  if (!generic) return null;
  return (
    <fieldset className="mapping">
      <legend>Field mapping</legend>
      <p className="help">Which column holds each field (empty: the column of that name, if any).</p>
      {MAPPED_FIELDS.map(({ field, label }) => (
        <div className="expert-field" key={field}>
          <label htmlFor={`map-${field}`}>{label}</label>
          <select id={`map-${field}`} value={file.mapping[field] ?? ''} onChange={(e) => void setMapping({ ...file.mapping, [field]: e.target.value })}>
            <option value="">{field === 'instruction' ? '(instruction)' : '(none / default)'}</option>
            {inspection.columns.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      ))}
    </fieldset>
  );
}

export function DatasetPicker() {
  const source = useConfigStore((s) => s.config.dataset.source);
  const { file, inspection, fileError, restoring, loadFile, chooseSample, forget, setMapping } = useDatasetStore();
  const chooser = useRef<FileButtonHandle>(null);
  const [dragging, setDragging] = useState(false);
  const splitHidden = useHidden('split');
  const usingFile = source !== 'sample';
  const missing = usingFile && !restoring && (file?.name !== source || !inspection?.ok);
  const selectFile = () => {
    if (file && inspection?.ok) void setMapping(file.mapping);
    else chooser.current?.open();
  };

  return (
    <>
      <fieldset className="pool-choice">
        <legend>Source</legend>
        <label>
          <input type="radio" name="dataset-source" checked={!usingFile} onChange={chooseSample} /> Bundled sample
        </label>
        <label>
          <input type="radio" name="dataset-source" checked={usingFile} onChange={selectFile} /> Your file
        </label>
      </fieldset>
      {!usingFile && <p className="help">192 questions with reference answers in 6 domains (arithmetic, science, programming, health, writing, geography).</p>}
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const dropped = e.dataTransfer.files[0];
          if (dropped) void loadFile(dropped);
        }}
      >
        <p>Drop a JSONL, JSON or CSV file here, or</p>
        <FileButton
          ref={chooser}
          accept=".jsonl,.ndjson,.json,.csv,.tsv,application/json,text/csv"
          inputLabel="Dataset file"
          onFile={(picked) => void loadFile(picked)}
        >
          Choose dataset file
        </FileButton>
      </div>
      {missing && (
        <p className="field-error" role="alert">
          The config names the file “{source}”, which is not loaded in this browser: drop it here, or choose the bundled sample.
        </p>
      )}
      {fileError && (
        <p className="field-error" role="alert">
          {fileError}
        </p>
      )}
      {file && inspection && (
        <div className="dataset-status" data-testid="dataset-status">
          <p>
            <strong>{file.name}</strong>
            {inspection.format && ` · ${FORMAT_LABELS[inspection.format]}`}
            {inspection.shape && ` · ${SHAPE_LABELS[inspection.shape]}`}
            {inspection.ok && ` · ${inspection.questions} questions`}
            {file.name === source && inspection.ok && ' · in use'}
          </p>
          {inspection.ok &&
            inspection.warnings.map((w) => (
              <p key={w} className="help">
                {w}
              </p>
            ))}
          {!inspection.ok && (
            <div className="field-error" role="alert">
              <p>This file cannot be used yet:</p>
              <ul>
                {inspection.issues.map((issue) => (
                  <li key={issue}>{issue}</li>
                ))}
              </ul>
            </div>
          )}
          <button type="button" onClick={() => void forget()}>
            Forget file
          </button>
        </div>
      )}
      <FieldMappingEditor />
      {!splitHidden && <ConfigControls specs={SPLIT_CONTROLS} />}
    </>
  );
}
