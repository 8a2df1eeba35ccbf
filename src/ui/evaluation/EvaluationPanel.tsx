// The Evaluation tab: run the frozen agent (greedy, and sampled over several draws) and the
// baselines (the random ones over many draws) on the held-out questions in the worker, then show
// the results table (mean ± sd with N, best per column in bold), each agent row against each
// baseline in words with its 2-standard-error verdict ("a tie, within noise" otherwise), the route-length table and the cost–quality plane, and offer the same report
// files as the CLI (report.md, results.csv, results.json, SVG charts) as downloads.
import { useMemo, useState } from 'react';
import type { StopRule } from '../../der/actions';
import { DEFAULT_RANDOM_SEEDS, DEFAULT_SAMPLED_DRAWS, isAgentKind, type Evaluation } from '../../der/evaluation';
import { COMPARE_METRICS, type Difference } from '../../der/evaluationCompare';
import {
  agentVerdicts,
  columnsFor,
  contextFromEvaluation,
  formatStat,
  statDigits,
  formatStatN,
  NOISE_RULE,
  reportFiles,
  standardNotes,
  verdictSummary,
} from '../../der/evaluationReport';
import { bestPerColumn, columnValue, reportRows, type ReportRow } from '../../der/evaluationRows';
import { costQualitySvg, routeLengthSvg } from '../../der/evaluationCharts';
import type { EvalSplit, SessionEvaluationOptions } from '../../session/evaluateSession';
import { SimulatedBadge } from '../charts/SimulatedBadge';
import { downloadText } from '../download';
import './evaluation.css';

export interface EvaluationPanelProps {
  /** Runs the evaluation in the worker on the current (paused) agent. */
  evaluate(options: SessionEvaluationOptions): Promise<Evaluation>;
  /** The run's stop rule: the default stop mode (the learned STOP needs an agent trained with it). */
  runStopRule: StopRule;
  datasetLabel: string;
  seed: number;
}

const MIME: Record<string, string> = { md: 'text/markdown', csv: 'text/csv', json: 'application/json', svg: 'image/svg+xml' };

export function EvaluationPanel({ evaluate, runStopRule, datasetLabel, seed }: EvaluationPanelProps) {
  const [split, setSplit] = useState<EvalSplit>('test');
  const [stopMode, setStopMode] = useState<StopRule>(runStopRule);
  const [maxQuestions, setMaxQuestions] = useState('');
  const [randomSeeds, setRandomSeeds] = useState(String(DEFAULT_RANDOM_SEEDS));
  const [sampledDraws, setSampledDraws] = useState(String(DEFAULT_SAMPLED_DRAWS));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The finished evaluation with the split it ran on (changing the select later does not relabel it). */
  const [done, setDone] = useState<{ evaluation: Evaluation; split: EvalSplit } | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const limit = Number(maxQuestions);
      const draws = (text: string, min: number, what: string) => {
        const n = Number(text);
        if (text.trim() === '' || !Number.isInteger(n) || n < min) throw new Error(`${what} must be a whole number ≥ ${min} (got "${text}")`);
        return n;
      };
      const evaluation = await evaluate({
        split,
        stopMode,
        maxQuestions: maxQuestions !== '' && limit > 0 ? Math.floor(limit) : undefined,
        randomSeeds: draws(randomSeeds, 1, 'Random seeds'),
        sampledDraws: draws(sampledDraws, 0, 'Sampled draws'),
      });
      setDone({ evaluation, split });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const report = useMemo(() => {
    if (!done) return null;
    const rows = reportRows([done.evaluation]);
    const accuracy = rows.some((r) => r.metrics.accuracy.n > 0);
    const ctx = contextFromEvaluation(done.evaluation, {
      title: 'DER evaluation report',
      dataset: datasetLabel,
      split: done.split,
      seeds: [seed],
      accuracy,
      sweep: false,
      notes: standardNotes({ exactMatch: accuracy, stopMode: done.evaluation.stopMode }),
    });
    return { rows, files: reportFiles(rows, ctx), evaluation: done.evaluation };
  }, [done, datasetLabel, seed]);

  return (
    <div className="evaluation">
      <section className="evaluation-controls" aria-label="Evaluation settings">
        <p className="muted">
          Runs the trained agent greedily and sampled, and every baseline (random pick and random route over many seeds, each single expert, the best single
          expert chosen on the training split, a cheapest-first cascade, and "call all, pick best") on the same questions, experts, scorer and cache. Pause
          training first.
        </p>
        <label>
          Split{' '}
          <select value={split} onChange={(e) => setSplit(e.target.value as EvalSplit)}>
            <option value="test">test (held out)</option>
            <option value="train">train</option>
            <option value="all">all</option>
          </select>
        </label>
        <label>
          Agent stop{' '}
          <select value={stopMode} onChange={(e) => setStopMode(e.target.value as StopRule)}>
            <option value="threshold">threshold (stop at p0; needs references)</option>
            <option value="learned" disabled={runStopRule !== 'learned'}>
              learned STOP (reference-free){runStopRule !== 'learned' ? ': train with it first' : ''}
            </option>
          </select>
        </label>
        <label>
          At most{' '}
          <input
            type="number"
            min={1}
            value={maxQuestions}
            placeholder="all"
            onChange={(e) => setMaxQuestions(e.target.value)}
            aria-label="Maximum questions"
          />{' '}
          questions
        </label>
        <label title="Draws of the random pick and the random route; their rows show mean ± sd over the draws">
          Random seeds <input type="number" min={1} value={randomSeeds} onChange={(e) => setRandomSeeds(e.target.value)} aria-label="Random seeds" />
        </label>
        <label title="Draws of the agent sampling from its policy (0 = greedy only)">
          Sampled draws <input type="number" min={0} value={sampledDraws} onChange={(e) => setSampledDraws(e.target.value)} aria-label="Sampled draws" />
        </label>
        <button type="button" className="primary" disabled={busy} onClick={() => void run()}>
          {busy ? 'Evaluating…' : 'Evaluate'}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      {report && <EvaluationResults rows={report.rows} files={report.files} result={report.evaluation} />}
    </div>
  );
}

function EvaluationResults({ rows, files, result }: { rows: ReportRow[]; files: [string, string][]; result: Evaluation }) {
  const columns = columnsFor(
    rows,
    rows.some((r) => r.metrics.accuracy.n > 0),
  );
  const best = bestPerColumn(rows, columns);
  const baselines = rows.filter((r) => !isAgentKind(r.kind));
  const comparisons = rows
    .filter((r) => isAgentKind(r.kind))
    .map((agent) => {
      const verdicts = agentVerdicts(agent, baselines);
      return { agent, verdicts, summary: verdictSummary(agent, verdicts) };
    });
  // Our SVG generator escapes every text it writes, so the strings are safe to inline.
  // Drawn as images: an SVG in <img> can run no script, whatever text (expert names) it holds.
  const plane = useMemo(() => svgDataUrl(costQualitySvg(rows)), [rows]);
  const lengths = useMemo(() => svgDataUrl(routeLengthSvg(rows, result.tmax)), [rows, result.tmax]);
  return (
    <section className="evaluation-results" aria-label="Evaluation results">
      <h3>
        Results on {result.questions} questions <SimulatedBadge simulated={result.simulated} />
      </h3>
      <p className="muted">
        Agent stop: {result.stopMode === 'learned' ? 'learned STOP (reference-free)' : `threshold (P ≥ p0 = ${result.p0}; needs references)`}. † = uses
        reference-based scores while answering.
        {result.bestSingle && ` Best single expert chosen on the training split: ${result.bestSingle.name}.`}
      </p>
      <div className="evaluation-table-wrap">
        <table className="evaluation-table" data-testid="evaluation-table">
          <thead>
            <tr>
              <th scope="col">method</th>
              <th scope="col" title="Values behind the row: agent seeds, or draws × seeds for the random baselines and the sampled agent">
                N
              </th>
              {columns.map((c) => (
                <th scope="col" key={c.key}>
                  {c.heading} {c.better === 'higher' ? '↑' : '↓'}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={row.id} className={isAgentKind(row.kind) ? 'agent-row' : undefined}>
                <th scope="row">
                  {row.label}
                  {row.usesReferences ? ' †' : ''}
                </th>
                <td className="evaluation-n">{row.metrics.meanScore.n}</td>
                {columns.map((c, k) => {
                  const text = formatStat(columnValue(row, c), statDigits(c.key));
                  return <td key={c.key}>{best[k].includes(r) ? <strong>{text}</strong> : text}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.some((r) => isAgentKind(r.kind) && r.stopRule === 'learned') && (
        <p className="evaluation-stop-share" data-testid="evaluation-stop-share">
          Did the learned STOP stop? Of the routes passing p0, the share that ended before Tmax:{' '}
          {rows
            .filter((r) => isAgentKind(r.kind) && r.stopRule === 'learned')
            .map((r) => `${r.kind === 'agent' ? 'greedy' : 'sampled'} ${formatStatN(r.metrics.stopsBeforeTmaxWhenPassing, 2)}`)
            .join('; ')}
          .
        </p>
      )}
      {comparisons.length > 0 && <p className="muted evaluation-noise-rule">{NOISE_RULE}</p>}
      {comparisons.map(({ agent, verdicts, summary }) => (
        <div className="evaluation-comparisons" key={agent.id} data-agent={agent.id}>
          <p className="evaluation-verdict-summary">{summary}</p>
          <table className="evaluation-verdicts" aria-label={`${agent.label} against each baseline`}>
            <thead>
              <tr>
                <th scope="col">{agent.kind === 'agent' ? 'greedy' : 'sampled'} agent vs</th>
                {COMPARE_METRICS.map((m) => (
                  <th scope="col" key={m.key}>
                    {m.name} {m.better === 'higher' ? '↑' : '↓'}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {verdicts.map(({ baseline, diffs, words }) => (
                <tr key={baseline.id}>
                  <th scope="row">{baseline.label}</th>
                  {COMPARE_METRICS.map((m) => (
                    <td key={m.key} className={`verdict-${diffs[m.key].verdict}`} title={words[m.key]}>
                      {verdictCell(diffs[m.key], m.digits)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <div className="evaluation-charts">
        <figure>
          <img src={plane} alt="Cost–quality plane with the Pareto frontier: parameters per question against mean score, one point per method" />
        </figure>
        <figure>
          <img src={lengths} alt="Route-length distribution per method" />
        </figure>
      </div>
      <div className="evaluation-downloads">
        Export the report:{' '}
        {files.map(([name, text]) => (
          <button type="button" key={name} onClick={() => downloadText(name, text, MIME[name.split('.').pop() ?? ''] ?? 'text/plain')}>
            {name}
          </button>
        ))}
      </div>
    </section>
  );
}

const VERDICT_WORD = { first: 'agent better', second: 'baseline better', tie: 'tie (within noise)', unknown: 'no verdict' } as const;

/** "agent better: +0.0123 (2 SE 0.0081, paired)"; the full sentence is the cell's tooltip. */
function verdictCell(d: Difference, digits: number): string {
  if (!Number.isFinite(d.diff)) return VERDICT_WORD[d.verdict];
  const diff = `${d.diff > 0 ? '+' : ''}${d.diff.toFixed(digits)}`;
  const se = Number.isFinite(d.se) ? ` (2 SE ${(2 * d.se).toFixed(digits)}${d.basis === 'paired' ? ', paired' : ''})` : '';
  return `${VERDICT_WORD[d.verdict]}: ${diff}${se}`;
}

function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
