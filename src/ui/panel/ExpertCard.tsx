// One expert of a custom pool: every field editable, its cost α·C visible, its API key kept apart
// from the spec (memory, or this device when the user asks) so it never reaches a link or a file.
import type { ExpertSpec } from '../../der/config';
import { useApiKeyStore } from '../../store/apiKeyStore';
import { EXPERT_KINDS, PROVIDER_PRESETS, presetForBaseURL, SUGGESTED_BROWSER_MODELS, type ExpertKind } from '../../store/poolEdit';
import { NumberInput } from './NumberInput';

export interface ExpertCardProps {
  index: number;
  count: number;
  expert: ExpertSpec;
  alpha: number;
  onChange(next: ExpertSpec): void;
  onMove(to: number): void;
  onRemove(): void;
}

function TextField({
  id,
  label,
  value,
  onChange,
  placeholder,
  type = 'text',
  list,
}: {
  id: string;
  label: string;
  value: string;
  onChange(v: string): void;
  placeholder?: string;
  type?: string;
  list?: string;
}) {
  return (
    <div className="expert-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        placeholder={placeholder}
        list={list}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

const DTYPES = ['q4f16', 'q4', 'q8', 'fp16', 'fp32'] as const;

export function ExpertCard({ index, count, expert, alpha, onChange, onMove, onRemove }: ExpertCardProps) {
  const key = useApiKeyStore((s) => s.keys[expert.name] ?? '');
  const setKey = useApiKeyStore((s) => s.setKey);
  const renameKey = useApiKeyStore((s) => s.renameKey);
  const id = `expert-${index}`;
  const cost = alpha * expert.sizeB;
  const provider = expert.baseURL ? (presetForBaseURL(expert.baseURL)?.id ?? '') : '';
  const set = (patch: Partial<ExpertSpec>) => onChange({ ...expert, ...patch });
  return (
    <li className="expert-card" aria-label={expert.name || `expert ${index + 1}`}>
      <div className="expert-card-head">
        <strong>
          {index + 1}. {expert.name || '(no name)'}
        </strong>
        <span className={`kind-badge kind-${expert.kind}`}>{expert.kind === 'simulated' ? 'SIMULATED' : expert.kind}</span>
        <span className="expert-cost" title="cost term per call: α × size in billions">
          {Number.isFinite(expert.sizeB) ? `${expert.sizeB} B` : '? B'} · α·C = {Number.isFinite(cost) ? cost.toPrecision(3) : '?'}
        </span>
      </div>
      <div className="expert-fields">
        <TextField
          id={`${id}-name`}
          label="Name"
          value={expert.name}
          onChange={(name) => {
            renameKey(expert.name, name);
            set({ name });
          }}
        />
        <div className="expert-field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={expert.kind} onChange={(e) => set({ kind: e.target.value as ExpertKind })}>
            {EXPERT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div className="expert-field">
          <label htmlFor={`${id}-size`}>Size (B)</label>
          <NumberInput
            id={`${id}-size`}
            value={expert.sizeB}
            error={Number.isFinite(expert.sizeB) && expert.sizeB > 0 ? undefined : 'bad size'}
            onNumber={(sizeB) => set({ sizeB })}
          />
        </div>
        {expert.kind !== 'simulated' && (
          <TextField
            id={`${id}-model`}
            label="Model"
            value={expert.model ?? ''}
            list={expert.kind === 'browser' ? 'browser-models' : undefined}
            onChange={(model) => {
              const suggested = SUGGESTED_BROWSER_MODELS.find((m) => m.id === model);
              set(expert.kind === 'browser' && suggested ? { model, sizeB: suggested.sizeB, dtype: suggested.dtype } : { model });
            }}
            placeholder={expert.kind === 'browser' ? SUGGESTED_BROWSER_MODELS[0].id : 'model name'}
          />
        )}
        {expert.kind === 'browser' && (
          <>
            <datalist id="browser-models">
              {SUGGESTED_BROWSER_MODELS.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.note}
                </option>
              ))}
            </datalist>
            <div className="expert-field">
              <label htmlFor={`${id}-dtype`}>Weights</label>
              <select id={`${id}-dtype`} value={expert.dtype ?? ''} onChange={(e) => set({ dtype: (e.target.value || undefined) as ExpertSpec['dtype'] })}>
                <option value="">default (q4f16 on WebGPU, q4 on wasm)</option>
                {DTYPES.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        {expert.kind === 'openai' && (
          <>
            <div className="expert-field">
              <label htmlFor={`${id}-provider`}>Provider</label>
              <select
                id={`${id}-provider`}
                value={provider}
                onChange={(e) => {
                  const preset = PROVIDER_PRESETS.find((p) => p.id === e.target.value);
                  if (preset) set({ baseURL: preset.baseURL, apiKeyEnv: preset.apiKeyEnv ?? undefined, headers: preset.headers });
                }}
              >
                <option value="">other</option>
                {PROVIDER_PRESETS.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
            <TextField
              id={`${id}-baseurl`}
              label="Base URL"
              value={expert.baseURL ?? ''}
              onChange={(baseURL) => set({ baseURL })}
              placeholder="http://localhost:11434/v1"
            />
            <TextField
              id={`${id}-key`}
              label="API key"
              type="password"
              value={key}
              onChange={(k) => setKey(expert.name, k)}
              placeholder="kept out of links and files"
            />
          </>
        )}
        {expert.kind === 'recorded' && (
          <TextField
            id={`${id}-candidate`}
            label="Candidate"
            value={expert.candidate ?? ''}
            onChange={(candidate) => set({ candidate })}
            placeholder="model name in the dataset"
          />
        )}
      </div>
      {provider && <p className="help">{PROVIDER_PRESETS.find((p) => p.id === provider)?.note}</p>}
      <div className="expert-actions">
        <button type="button" onClick={() => onMove(index - 1)} disabled={index === 0} aria-label={`Move ${expert.name} up`}>
          ↑
        </button>
        <button type="button" onClick={() => onMove(index + 1)} disabled={index === count - 1} aria-label={`Move ${expert.name} down`}>
          ↓
        </button>
        <button type="button" onClick={onRemove} disabled={count === 1} aria-label={`Remove ${expert.name}`}>
          Remove
        </button>
      </div>
    </li>
  );
}
