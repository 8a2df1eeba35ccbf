// One step of a route: which expert answered, the exact prompt it got, its answer (diffed
// against the previous one), the score P and increment ΔP, the reward split into its terms,
// and what the policy and critic thought at that state.
import { memo } from 'react';
import { STOP_NAME } from '../../der/actions';
import type { StepRecord } from '../../der/runRecord';
import { AnswerDiff } from './AnswerDiff';
import { ProbBars } from './ProbBars';
import { doneReasonText } from './episodeFilter';

export interface StepCardProps {
  step: StepRecord;
  previousAnswer: string | null;
  names: readonly string[];
  p0: number;
  tmax: number;
  /** A note shown on the card, e.g. how a replayed step differs from the recording. */
  note?: string;
  /** The route context the agent's state carried at this step (state.routeContext), in words. */
  route?: { step: string; last: string; called: string };
}

const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const signed = (v: number, d = 3) => (Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(d)}` : '—');

export const StepCard = memo(function StepCard({ step, previousAnswer, names, p0, tmax, note, route }: StepCardProps) {
  const isStop = step.expert === STOP_NAME;
  return (
    <article className={`step-card${step.error ? ' failed' : ''}`} aria-label={`Step ${step.t + 1}: ${step.expert}`} data-testid="step-card">
      <header className="step-head">
        <span className="step-index">step {step.t + 1}</span>
        <strong className="step-expert">{step.expert}</strong>
        {!isStop && <span className="muted">C = {step.cost}B</span>}
        {step.cached && <span className="tag">cached</span>}
        {note && <span className="tag diff-note">{note}</span>}
      </header>
      {step.error && <p className="error">Expert call failed: {step.error}</p>}
      {route && (
        <p
          className="muted route-context"
          data-testid="route-context"
          title="Appended to the encoded text in the agent's state (state.routeContext, a departure from the paper)"
        >
          State’s route context: {route.step} · last expert: {route.last} · already called: {route.called}
        </p>
      )}
      {!isStop && (
        <details className="prompt">
          <summary>Prompt sent{step.t === 0 ? ' (the raw question)' : ' (knowledge-transfer prompt)'}</summary>
          <pre>{step.prompt}</pre>
        </details>
      )}
      {!isStop && !step.error && <AnswerDiff answer={step.answer} previous={previousAnswer} />}
      <dl className="step-numbers">
        <div>
          <dt>P</dt>
          <dd>{f(step.score)}</dd>
        </div>
        <div>
          <dt>ΔP</dt>
          <dd>{step.t === 0 ? '0 (first)' : signed(step.delta)}</dd>
        </div>
        {step.costUSD !== undefined && (
          <div>
            <dt>$</dt>
            <dd>{step.costUSD.toFixed(5)}</dd>
          </div>
        )}
        {step.usage && (
          <div>
            <dt>tokens</dt>
            <dd>{step.usage.promptTokens + step.usage.completionTokens}</dd>
          </div>
        )}
        <div>
          <dt>value V(s)</dt>
          <dd>{f(step.value)}</dd>
        </div>
      </dl>
      <dl className="reward-terms" aria-label="Reward terms">
        <div title="the answer's score">
          <dt>score P</dt>
          <dd>{signed(step.terms.score)}</dd>
        </div>
        <div title="α times the expert's size in billions">
          <dt>−αC</dt>
          <dd>{signed(step.terms.cost, 4)}</dd>
        </div>
        <div title="β times the score increment (final form: the first step's increment is from p0)">
          <dt>βΔP</dt>
          <dd>{signed(step.terms.increment)}</dd>
        </div>
        <div title="paper form: +γ on success, −γ at Tmax without success; final form: the change of the pass bias ±γ">
          <dt>terminal</dt>
          <dd>{signed(step.terms.terminal)}</dd>
        </div>
        <div className="reward-total">
          <dt>= reward r</dt>
          <dd>{signed(step.reward)}</dd>
        </div>
      </dl>
      {step.probs.length > 0 && <ProbBars probs={step.probs} chosen={step.action} names={names} />}
      {step.done && <p className="done-reason">Episode ended: {doneReasonText(step.done_reason, p0, tmax)}</p>}
    </article>
  );
});
