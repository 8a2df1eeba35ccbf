// The expert pool: the built-in simulated pool (no network, marked SIMULATED) or a custom list.
// The custom list is a draft checked like a pool file on every edit; only a valid pool reaches the
// config (and so the worker). Pool files load and save as {"experts": [...]}, never with keys.
import { useEffect, useRef, useState } from 'react';
import type { ExpertSpec } from '../../der/config';
import { useApiKeyStore } from '../../store/apiKeyStore';
import { useConfigStore } from '../../store/configStore';
import {
  EXPERT_KINDS,
  moveItem,
  parsePoolFile,
  PoolFileError,
  newExpert,
  poolFileText,
  removeItem,
  simulatedExpertSpecs,
  validatePool,
  type ExpertKind,
} from '../../store/poolEdit';
import { ExpertCard } from './ExpertCard';
import { errorMessage } from '../../der/errorMessage';
import { FileButton } from '../controls/FileButton';

function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function SimulatedPoolTable({ alpha }: { alpha: number }) {
  return (
    <table className="pool-table">
      <caption>
        <span className="kind-badge kind-simulated">SIMULATED</span> built-in experts: no network, no key, no cost in money
      </caption>
      <thead>
        <tr>
          <th scope="col">Expert</th>
          <th scope="col">Size (B)</th>
          <th scope="col">α·C</th>
        </tr>
      </thead>
      <tbody>
        {simulatedExpertSpecs().map((e) => (
          <tr key={e.name}>
            <td>{e.name}</td>
            <td>{e.sizeB}</td>
            <td>{(alpha * e.sizeB).toPrecision(3)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PoolEditor() {
  const pool = useConfigStore((s) => s.config.pool);
  const alpha = useConfigStore((s) => s.config.reward.alpha);
  const edit = useConfigStore((s) => s.edit);
  const remember = useApiKeyStore((s) => s.remember);
  const setRemember = useApiKeyStore((s) => s.setRemember);
  const [draft, setDraft] = useState<ExpertSpec[]>(() => (pool.kind === 'custom' ? pool.experts : simulatedExpertSpecs()));
  const [fileIssues, setFileIssues] = useState<string[] | null>(null);
  const [kindToAdd, setKindToAdd] = useState<ExpertKind>('openai');
  const committed = useRef(pool.kind === 'custom' ? JSON.stringify(pool.experts) : '');

  // A link or a what-if run may replace the pool: the draft follows what it did not write itself.
  useEffect(() => {
    if (pool.kind === 'custom' && JSON.stringify(pool.experts) !== committed.current) {
      committed.current = JSON.stringify(pool.experts);
      setDraft(pool.experts);
    }
  }, [pool]);

  const validation = validatePool(draft);
  const update = (next: ExpertSpec[]) => {
    setDraft(next);
    const checked = validatePool(next);
    if (checked.ok && pool.kind === 'custom') {
      committed.current = JSON.stringify(checked.experts);
      edit(['pool'], { kind: 'custom', experts: checked.experts });
    }
  };
  const useCustom = () => {
    const checked = validatePool(draft);
    if (checked.ok) {
      committed.current = JSON.stringify(checked.experts);
      edit(['pool'], { kind: 'custom', experts: checked.experts });
    } else {
      setFileIssues(['The custom list has problems (below); the simulated pool stays in use until they are fixed.']);
    }
  };
  const loadFile = async (file: File) => {
    try {
      const experts = parsePoolFile(await file.text(), file.name);
      setFileIssues(null);
      committed.current = JSON.stringify(experts);
      setDraft(experts);
      edit(['pool'], { kind: 'custom', experts });
    } catch (error) {
      setFileIssues(error instanceof PoolFileError ? error.issues : [errorMessage(error)]);
    }
  };

  return (
    <>
      <fieldset className="pool-choice">
        <legend>Pool</legend>
        <label>
          <input type="radio" name="pool-kind" checked={pool.kind === 'simulated'} onChange={() => edit(['pool'], { kind: 'simulated' })} /> Simulated
        </label>
        <label>
          <input type="radio" name="pool-kind" checked={pool.kind === 'custom'} onChange={useCustom} /> Custom
        </label>
      </fieldset>
      {pool.kind === 'simulated' ? (
        <SimulatedPoolTable alpha={alpha} />
      ) : (
        <>
          <ol className="expert-list" aria-label="Experts">
            {draft.map((expert, index) => (
              <ExpertCard
                key={index}
                index={index}
                count={draft.length}
                expert={expert}
                alpha={alpha}
                onChange={(next) => update(draft.map((e, i) => (i === index ? next : e)))}
                onMove={(to) => update(moveItem(draft, index, to))}
                onRemove={() => update(removeItem(draft, index))}
              />
            ))}
          </ol>
          {!validation.ok && (
            <div className="field-error" role="alert">
              <p>The pool is not used until these are fixed (the last valid pool stays in force):</p>
              <ul>
                {validation.issues.map((issue) => (
                  <li key={issue}>{issue}</li>
                ))}
              </ul>
            </div>
          )}
          <div className="pool-add">
            <label htmlFor="pool-add-kind">New expert kind</label>
            <select id="pool-add-kind" value={kindToAdd} onChange={(e) => setKindToAdd(e.target.value as ExpertKind)}>
              {EXPERT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
            <button type="button" onClick={() => update([...draft, newExpert(kindToAdd, draft)])}>
              Add expert
            </button>
          </div>
          <div className="field field-inline">
            <div className="field-row">
              <input type="checkbox" id="remember-keys" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
              <label htmlFor="remember-keys">Remember keys on this device</label>
            </div>
            <p className="help">Off: keys live in this tab’s memory only. On: kept in this browser’s localStorage. Never in links, pool files or exports.</p>
          </div>
        </>
      )}
      <div className="pool-files">
        <FileButton accept=".json,application/json" inputLabel="Pool file" onFile={(file) => void loadFile(file)}>
          Load pool file
        </FileButton>
        <button type="button" onClick={() => downloadText('pool.json', poolFileText(pool.kind === 'custom' ? draft : simulatedExpertSpecs()))}>
          Save pool file
        </button>
      </div>
      {fileIssues && (
        <div className="field-error" role="alert">
          <ul>
            {fileIssues.map((issue) => (
              <li key={issue}>{issue}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
