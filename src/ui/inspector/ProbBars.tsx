// The policy's probabilities over actions at one step, as small horizontal bars; the chosen
// action is highlighted. Plain HTML (no chart library): there is one per step card.
import { memo } from 'react';
import { actionName } from './actionName';

export interface ProbBarsProps {
  probs: readonly number[];
  chosen: number;
  names: readonly string[];
}

export const ProbBars = memo(function ProbBars({ probs, chosen, names }: ProbBarsProps) {
  const max = Math.max(...probs, 1e-9);
  return (
    <ul className="prob-bars" aria-label="Policy probabilities over experts">
      {probs.map((p, a) => (
        <li key={a} className={a === chosen ? 'chosen' : undefined} title={`${actionName(names, a)}: ${(p * 100).toFixed(1)}%`}>
          <span className="prob-name">{actionName(names, a)}</span>
          <span className="prob-track">
            <span className="prob-fill" style={{ width: `${(p / max) * 100}%` }} />
          </span>
          <span className="prob-value">
            {(p * 100).toFixed(1)}%
            {a === chosen && (
              <span title="the action taken">
                {' '}
                ◀<span className="sr-only"> chosen</span>
              </span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
});
