// Scorer (what P measures) and state encoder (what the policy sees). Transformers.js models download
// in the worker when a run starts; their progress shows here and in the status line.
import { BERTSCORE_MODEL_DEFAULTS } from '../../store/configEdit';
import {
  DEFAULT_BERTSCORE_LAYER,
  DEFAULT_BERTSCORE_MODEL,
  DEFAULT_MINILM_MODEL,
  formatEncoderName,
  formatScorerName,
  parseEncoderName,
  type EncoderChoice,
  parseScorerName,
} from '../../der/componentNames';
import { useTrainingStore } from '../../store/trainingStore';
import { FieldFrame, describedBy } from './FieldFrame';
import { NumberInput } from './NumberInput';
import { useConfigField, useHidden } from './useConfigField';
import { progressText } from '../controls/loadProgress';

const SCORER_HELP: Record<string, string> = {
  glove: 'GloVe stand-in for BERTScore: static word vectors, mapped to the mBERT layer-9 scale. Offline, fast.',
  'exact-match': 'Exact match on the final number (GSM8K-style answers): P is 1 or 0.',
  bertscore: 'BERTScore F1 with a Transformers.js model and layer; the model downloads from the Hugging Face hub on first use.',
};

function ScorerPicker() {
  const field = useConfigField<string>(['scorer']);
  const choice = parseScorerName(field.value) ?? { kind: 'glove' as const };
  const defaults = choice.kind === 'bertscore' ? BERTSCORE_MODEL_DEFAULTS.find((m) => m.onnxId === choice.model) : undefined;
  return (
    <>
      <FieldFrame id="scorer" label="Scorer" symbol="P" labelFor="scorer-input" help={SCORER_HELP[choice.kind]} error={field.error}>
        <select
          id="scorer-input"
          aria-describedby={describedBy('scorer', field.error)}
          value={choice.kind}
          onChange={(e) => {
            const kind = e.target.value;
            field.edit(kind === 'bertscore' ? formatScorerName({ kind, model: DEFAULT_BERTSCORE_MODEL, layer: DEFAULT_BERTSCORE_LAYER }) : kind);
          }}
        >
          <option value="glove">GloVe stand-in (default)</option>
          <option value="exact-match">Exact match (GSM8K)</option>
          <option value="bertscore">BERTScore (Transformers.js)</option>
        </select>
      </FieldFrame>
      {choice.kind === 'bertscore' && (
        <>
          <div className="expert-field">
            <label htmlFor="bertscore-model">BERTScore model</label>
            <input
              id="bertscore-model"
              list="bertscore-models"
              value={choice.model}
              onChange={(e) => {
                const model = e.target.value.trim();
                const known = BERTSCORE_MODEL_DEFAULTS.find((m) => m.onnxId === model);
                if (model) field.edit(formatScorerName({ kind: 'bertscore', model, layer: known?.defaultLayer ?? choice.layer, idf: choice.idf }));
              }}
            />
            <datalist id="bertscore-models">
              {BERTSCORE_MODEL_DEFAULTS.map((m) => (
                <option key={m.onnxId} value={m.onnxId}>
                  {m.label}
                </option>
              ))}
            </datalist>
          </div>
          <div className="expert-field">
            <label htmlFor="bertscore-layer">Layer</label>
            <NumberInput
              id="bertscore-layer"
              value={choice.layer}
              error={undefined}
              onNumber={(layer) => Number.isInteger(layer) && layer >= 0 && field.edit(formatScorerName({ ...choice, layer }))}
            />
          </div>
          <div className="expert-field">
            <label>
              <input type="checkbox" checked={choice.idf === true} onChange={(e) => field.edit(formatScorerName({ ...choice, idf: e.target.checked }))} /> idf
              weights
            </label>
            <p className="help">Weights each token by its rarity over the training references (+1 smoothing), as bert_score's idf option.</p>
          </div>
          <p className="help">
            {defaults
              ? `${defaults.label}; ${defaults.numLayers} layers, default ${defaults.defaultLayer}.`
              : 'A hub model with ONNX weights; no published baseline: scores are not rescaled.'}
          </p>
        </>
      )}
    </>
  );
}

function encoderHelp(choice: EncoderChoice): string {
  if (choice.kind === 'use-lite') return 'Universal Sentence Encoder lite (512-d), bundled: the state the policy sees.';
  if (choice.kind === 'glove-mean') return 'Mean GloVe vectors of the question and of the answer (200-d), bundled: ~100× faster than USE-lite, coarser.';
  return `Transformers.js ${choice.model} (384-d), downloaded on first use.`;
}

function EncoderPicker() {
  const field = useConfigField<string>(['encoder']);
  const choice = parseEncoderName(field.value) ?? { kind: 'use-lite' as const };
  if (useHidden('encoder')) return null;
  return (
    <FieldFrame id="encoder" label="State encoder" symbol="s" labelFor="encoder-input" help={encoderHelp(choice)} error={field.error}>
      <select
        id="encoder-input"
        aria-describedby={describedBy('encoder', field.error)}
        value={choice.kind}
        onChange={(e) => field.edit(e.target.value === 'minilm' ? formatEncoderName({ kind: 'minilm', model: DEFAULT_MINILM_MODEL }) : e.target.value)}
      >
        <option value="use-lite">USE-lite (default)</option>
        <option value="glove-mean">GloVe mean (fast, offline)</option>
        <option value="minilm">MiniLM (Transformers.js)</option>
      </select>
    </FieldFrame>
  );
}

export function ScorerEncoderPicker() {
  const progress = useTrainingStore((s) => s.progress);
  const loading = useTrainingStore((s) => s.state === 'loading');
  return (
    <>
      <ScorerPicker />
      <EncoderPicker />
      {loading && progress && (
        <p className="panel-progress" aria-live="polite">
          {progressText(progress)}
        </p>
      )}
    </>
  );
}
