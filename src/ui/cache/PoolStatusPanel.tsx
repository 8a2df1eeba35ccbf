// What the live session's experts cost and may cost: pool counters from the worker (calls, cache
// hits, network calls, failures), the budget spent against its limits, the reason training paused,
// the "no knowledge transfer" label of recorded pools and the scorer's layer; budget inputs for
// the next run; the response cache's export/import.
import { useTrainingStore } from '../../store/trainingStore';
import { useConfigStore } from '../../store/configStore';
import { useBudgetStore } from '../../store/budgetStore';
import type { BudgetLimitsInfo } from '../../store/budgetStore';
import { CachePanel } from './CachePanel';

const LIMITS: { key: keyof BudgetLimitsInfo; label: string; spent: 'calls' | 'tokens' | 'costUSD' }[] = [
  { key: 'maxCalls', label: 'Max calls', spent: 'calls' },
  { key: 'maxTokens', label: 'Max tokens', spent: 'tokens' },
  { key: 'maxCostUSD', label: 'Max USD', spent: 'costUSD' },
];

function BudgetInputs() {
  const budget = useBudgetStore((s) => s.budget);
  const setLimit = useBudgetStore((s) => s.setLimit);
  return (
    <div className="budget-inputs" role="group" aria-label="Budget for the next run">
      {LIMITS.map(({ key, label }) => (
        <label key={key}>
          {label}{' '}
          <input
            type="number"
            min={0}
            step={key === 'maxCostUSD' ? 0.01 : 1}
            value={budget[key] ?? ''}
            placeholder="no limit"
            onChange={(e) => setLimit(key, e.target.value === '' ? undefined : Number(e.target.value))}
          />
        </label>
      ))}
    </div>
  );
}

export function PoolStatusPanel() {
  const info = useTrainingStore((s) => s.info);
  const status = useTrainingStore((s) => s.poolStatus);
  const custom = useConfigStore((s) => s.config.pool.kind === 'custom');
  if (!custom && !info?.scorerDetail && info?.knowledgeTransfer !== false) return null;
  return (
    <section className="pool-status" aria-label="Experts and budget">
      {info && !info.knowledgeTransfer && (
        <p className="kt-badge" role="note" data-testid="no-knowledge-transfer">
          No knowledge transfer: recorded experts answer from stored candidates and ignore the previous answer.
        </p>
      )}
      {info?.scorerDetail && (
        <p className="help" data-testid="scorer-detail">
          Scorer: {info.scorerDetail}
        </p>
      )}
      {status && (
        <p className="help" data-testid="pool-status">
          pool: calls <b>{status.calls}</b> · cache hits <b>{status.cacheHits}</b> · network calls <b data-testid="pool-network-calls">{status.networkCalls}</b>{' '}
          · failures <b>{status.failures}</b>
          {LIMITS.filter(({ key }) => status.budget[key] !== undefined).map(({ key, label, spent }) => (
            <span key={key}>
              {' '}
              · {label.replace('Max ', '')} {key === 'maxCostUSD' ? `$${status.spent.costUSD.toFixed(4)}` : status.spent[spent]}/{status.budget[key]}
            </span>
          ))}
        </p>
      )}
      {custom && (
        <details>
          <summary>Budget and cache</summary>
          <BudgetInputs />
          <CachePanel />
        </details>
      )}
    </section>
  );
}
