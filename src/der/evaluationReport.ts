// The evaluation report as text: report.md (results table with the best value per column marked,
// the agent against each baseline in plain words, route lengths, per-domain table, published
// reference rows) and results.csv. Pure functions of the report rows (no Node, no DOM): the CLI writes the files, the UI offers them as downloads.
import type { StopRule } from './actions';
import { isAgentKind, type BestSingleChoice, type Evaluation } from './evaluation';
import { costQualitySvg, routeLengthSvg, sweepSvg } from './evaluationCharts';
import { COMPARE_METRICS, compareRows, differenceWords, sweepStepLines, type CompareMetric, type Difference, type Verdict } from './evaluationCompare';
import type { SeedStat } from './evaluationMetrics';
import { bestPerColumn, columnValue, resultColumns, type ReportRow, type ResultColumn } from './evaluationRows';
import { PUBLISHED_MIXINSTRUCT, PUBLISHED_SOURCE } from './publishedResults';
import type { ExpertInfo } from './types';

export interface ReportContext {
  title: string;
  runFile?: string;
  weightsFile?: string;
  dataset: string;
  split: string;
  questions: number;
  stopMode: StopRule;
  p0: number;
  tmax: number;
  simulated: boolean;
  knowledgeTransfer: boolean;
  scorer: string;
  experts: readonly ExpertInfo[];
  seeds: readonly number[];
  /** Draws of the random baselines per seed, and of the sampled agent (0 = no sampled row). */
  randomSeeds: number;
  sampledDraws: number;
  /** Training iterations per seed when the CLI trained the agents itself. */
  iterations?: number;
  bestSingle: BestSingleChoice | null;
  cascadeOrder: readonly number[];
  /** Whether exact-match accuracy was computed (GSM8K-style references with ####). */
  accuracy: boolean;
  /** Chart files to link, relative to report.md. */
  charts: readonly { file: string; caption: string }[];
  /** Run files of agents trained for this report (seeds, sweep points), relative to report.md. */
  runLinks?: readonly { label: string; file: string }[];
  notes: readonly string[];
}

const DIGITS: Record<string, number> = {
  meanScore: 4,
  scoreX100: 2,
  successRate: 3,
  accuracy: 3,
  meanRouteLength: 2,
  meanParamsB: 1,
  meanCalls: 2,
  meanTokens: 0,
  meanCostUSD: 5,
};

/** Decimal places a metric column is shown with, in report.md and in the Evaluation tab alike. */
export function statDigits(key: string): number {
  return DIGITS[key] ?? 3;
}

export function formatStat(stat: SeedStat, digits: number): string {
  if (stat.n === 0 || !Number.isFinite(stat.mean)) return 'n/a';
  return stat.n > 1 ? `${stat.mean.toFixed(digits)} ± ${stat.std.toFixed(digits)}` : stat.mean.toFixed(digits);
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function markdownTable(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${headings.map(cell).join(' | ')} |`, `|${headings.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

export function columnsFor(rows: readonly ReportRow[], accuracy: boolean): ResultColumn[] {
  const has = (key: 'meanTokens' | 'meanCostUSD') => rows.some((r) => r.metrics[key].n > 0);
  return resultColumns({ accuracy, tokens: has('meanTokens'), money: has('meanCostUSD') });
}

/** The results table; the best mean of each column is bold (ties all bold). */
export function resultsTable(rows: readonly ReportRow[], columns: readonly ResultColumn[]): string {
  const best = bestPerColumn(rows, columns);
  const body = rows.map((row, r) => [
    cell(row.label) + (row.usesReferences ? ' †' : ''),
    String(row.metrics.meanScore.n),
    ...columns.map((c, k) => {
      const text = formatStat(columnValue(row, c), statDigits(c.key));
      return best[k].includes(r) ? `**${text}**` : text;
    }),
  ]);
  return markdownTable(['method', 'N', ...columns.map((c) => `${c.heading} ${c.better === 'higher' ? '↑' : '↓'}`)], body);
}

export function routeLengthTable(rows: readonly ReportRow[], tmax: number): string {
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  const headings = ['method', ...Array.from({ length: tmax }, (_, k) => `${k + 1}`), `> ${tmax}`, 'mean'];
  return markdownTable(
    headings,
    rows.map((row) => [cell(row.label), ...row.routeLengthCounts.map(fmt), fmt(row.overTmax), formatStat(row.metrics.meanRouteLength, 2)]),
  );
}

/** "mean ± sd (N = n)", or the mean alone with "(N = 1)". */
export function formatStatN(stat: SeedStat, digits: number, unit = ''): string {
  if (stat.n === 0 || !Number.isFinite(stat.mean)) return 'n/a';
  return stat.n > 1
    ? `${stat.mean.toFixed(digits)}${unit} ± ${stat.std.toFixed(digits)}${unit} (N = ${stat.n})`
    : `${stat.mean.toFixed(digits)}${unit} (N = 1)`;
}

/** How the report decides "better" or "a tie" (said once above the comparisons). */
export const NOISE_RULE =
  'A difference counts only when it exceeds 2 standard errors (SE); otherwise it is within noise (a tie). SE = sqrt(s1²/N1 + s2²/N2) over seeds when both rows have N ≥ 2 (agent training seeds; random-baseline and sampled-agent draws); when a row has N = 1 (one trained agent, or a deterministic baseline on one pool), the comparison is paired over the held-out questions (SE = sd of the per-question differences / sqrt(Q)), which does not include training-seed noise.';

/** The agent against one baseline: the difference and its 2-SE verdict per compared metric, and the sentence for each. */
export interface BaselineVerdicts {
  baseline: ReportRow;
  diffs: Record<CompareMetric, Difference>;
  words: Record<CompareMetric, string>;
}

/**
 * The agent against each baseline. `returnNote` (set for a sweep point whose α/β differ from the
 * baselines' reward) leaves the return uncompared and says why: returns under different rewards
 * are not comparable.
 */
export function agentVerdicts(agent: ReportRow, baselines: readonly ReportRow[], options: { returnNote?: string } = {}): BaselineVerdicts[] {
  return baselines.map((b) => {
    const diffs = {} as Record<CompareMetric, Difference>;
    const words = {} as Record<CompareMetric, string>;
    for (const m of COMPARE_METRICS) {
      if (m.key === 'meanReturn' && options.returnNote) {
        diffs[m.key] = { diff: Number.NaN, se: Number.NaN, basis: 'seeds', verdict: 'unknown' };
        words[m.key] = `${m.name} not compared (${options.returnNote})`;
        continue;
      }
      diffs[m.key] = compareRows(agent, b, m.key, m.better);
      words[m.key] =
        `${m.name} ${formatStatN(agent.metrics[m.key], m.digits, m.unit)} vs ${formatStatN(b.metrics[m.key], m.digits, m.unit)}, ${differenceWords(diffs[m.key], m.digits, { first: 'the agent', second: 'the baseline' })}`;
    }
    return { baseline: b, diffs, words };
  });
}

/**
 * In a sweep the baselines run with the first point's reward; an agent row of another α/β gets a
 * note instead of a return comparison. Undefined when the returns are comparable.
 */
export function returnNoteFor(agent: ReportRow, agents: readonly ReportRow[]): string | undefined {
  const base = agents.find((r) => r.sweep !== undefined)?.sweep;
  if (!base || !agent.sweep || (agent.sweep.alpha === base.alpha && agent.sweep.beta === base.beta)) return undefined;
  return `the baselines' returns are computed with α=${base.alpha}, β=${base.beta}, this agent's with α=${agent.sweep.alpha}, β=${agent.sweep.beta}`;
}

/** The tally of an agent row's verdicts: better than / worse than / a tie with how many baselines, per metric. */
export function verdictSummary(agent: ReportRow, verdicts: readonly BaselineVerdicts[]): string {
  const count = (key: CompareMetric, name: string) => {
    const of = (v: Verdict) => verdicts.filter((x) => x.diffs[key].verdict === v).length;
    const unknown = of('unknown');
    if (unknown === verdicts.length) return `${name}: not compared`;
    return `${name}: better than ${of('first')}, worse than ${of('second')}, a tie with ${of('tie')}${unknown > 0 ? `, no verdict for ${unknown}` : ''}`;
  };
  const both = verdicts.filter((x) => x.diffs.meanScore.verdict === 'first' && x.diffs.meanParamsB.verdict === 'first').length;
  return `${agent.label} against ${verdicts.length} baselines, counting only differences beyond 2 SE: ${count('meanScore', 'score')}; ${count('meanParamsB', 'params / question')}; ${count('meanReturn', 'return')}. Better on both score and params than ${both}.`;
}

/** One line per baseline: the agent against it on score, parameters per question and return, each with its 2-SE verdict. */
export function comparisonLines(agent: ReportRow, baselines: readonly ReportRow[], options: { returnNote?: string } = {}): string[] {
  const verdicts = agentVerdicts(agent, baselines, options);
  const lines = verdicts.map(({ baseline: b, words }) => {
    const upperBound = b.kind === 'oracle' ? ' (an upper bound: it calls every expert and keeps the answer that scores best against the reference)' : '';
    return `- vs ${cell(b.label)}${upperBound}: ${COMPARE_METRICS.map((m) => words[m.key]).join('; ')}.`;
  });
  return [`**${cell(agent.label)}**${verdictSummary(agent, verdicts).slice(agent.label.length)}`, '', ...lines];
}

const KEY_KINDS = new Set(['agent', 'agent-sampled', 'best-single', 'cascade', 'oracle', 'random-pick']);

export function domainTable(rows: readonly ReportRow[]): string | null {
  const key = rows.filter((r) => KEY_KINDS.has(r.kind));
  const domains = [...new Set(key.flatMap((r) => Object.keys(r.byDomain)))].sort();
  if (domains.length === 0) return null;
  const body = domains.map((d) => [
    cell(d),
    ...key.map((r) => {
      const m = r.byDomain[d];
      return m ? `${formatStat(m.meanScore, 4)} · ${formatStat(m.meanParamsB, 1)}B` : 'n/a';
    }),
  ]);
  return markdownTable(['domain', ...key.map((r) => r.label)], body);
}

function publishedTable(): string {
  return markdownTable(
    ['method (published, MixInstruct test, not measured here)', 'BERTScore ×100', 'params / question (B, from pool sizes)', 'note'],
    PUBLISHED_MIXINSTRUCT.map((p) => [cell(p.method), p.bertScoreX100.toFixed(2), p.paramsB === null ? 'n/a' : String(p.paramsB), cell(p.note ?? '')]),
  );
}

export function reportMarkdown(rows: readonly ReportRow[], ctx: ReportContext): string {
  const agents = rows.filter((r) => isAgentKind(r.kind));
  const baselines = rows.filter((r) => !isAgentKind(r.kind));
  const columns = columnsFor(rows, ctx.accuracy);
  const expert = (k: number) => `${ctx.experts[k].name} (${ctx.experts[k].sizeB}B)`;
  const out: string[] = [`# ${ctx.title}`, ''];
  if (ctx.simulated) {
    out.push(
      '> **SIMULATED expert pool**: every answer below was written by the built-in simulator (calibrated to published single-expert scores), not by real LLMs. Use it to check the workbench, not to make claims about LLMs.',
      '',
    );
  }
  out.push(
    `- Agent stop mode: **${ctx.stopMode === 'learned' ? 'learned STOP (reference-free at decision time; scores are computed only for this report)' : `threshold (the route ends when P ≥ p0 = ${ctx.p0}, which needs the reference answer)`}**; Tmax = ${ctx.tmax} calls.`,
    `- Questions: ${ctx.questions} from the **${ctx.split}** split of ${ctx.dataset}.`,
    `- Expert pool: ${ctx.experts.length} experts${ctx.simulated ? ' (simulated)' : ''}; knowledge transfer ${ctx.knowledgeTransfer ? 'on (later experts see the previous answer through the KTP)' : '**off** (recorded answers ignore the previous answer: "no knowledge transfer", so a longer route only switches answers)'}.`,
    `- Scorer: ${ctx.scorer}.`,
    `- Seeds: ${ctx.seeds.join(', ')} (N = ${ctx.seeds.length})${ctx.seeds.length > 1 ? '; agent cells show mean ± sample std over seeds' : '; one trained agent, so its training-seed spread is not estimated'}. ` +
      `The random pick and the random route run ${ctx.randomSeeds} draws per seed${ctx.sampledDraws > 0 ? `, the sampled agent ${ctx.sampledDraws}` : ''}, each draw one value; the N column counts the values behind each row.` +
      (ctx.iterations !== undefined ? ` Agents trained in-process for ${ctx.iterations} iterations each.` : ''),
  );
  if (ctx.runFile) out.push(`- Run: \`${ctx.runFile}\`${ctx.weightsFile ? `, weights \`${ctx.weightsFile}\`` : ''}.`);
  if (ctx.runLinks?.length)
    out.push(
      `- Trained runs (open one in the workbench's Runs tab with Import, or re-score it with \`npm run rescore\`): ${ctx.runLinks.map((r) => `[${r.label}](${r.file})`).join(', ')}.`,
    );
  if (ctx.bestSingle) {
    out.push(
      `- Best single expert: **${expert(ctx.bestSingle.expert)}**, chosen by ${ctx.bestSingle.criterion} (${ctx.bestSingle.trainQuestions} questions${ctx.seeds.length > 1 ? ', first seed' : ''}).`,
    );
  }
  out.push(`- Cascade order (cheapest first, until P ≥ p0 or Tmax): ${ctx.cascadeOrder.map(expert).join(' → ')}.`);
  out.push(
    '',
    '## Results',
    '',
    `Best value per column in **bold** (↑ higher is better, ↓ lower is better). † = the method looks at reference-based scores while answering (it stops at p0 or keeps the best-scoring answer), so it could not run on a new question.`,
    '',
  );
  out.push(resultsTable(rows, columns), '');
  out.push('## The agent against each baseline', '', NOISE_RULE, '');
  for (const agent of agents) out.push(...comparisonLines(agent, baselines, { returnNote: returnNoteFor(agent, agents) }), '');
  if (agents.length === 0) out.push('No agent was evaluated.', '');
  const sweepGreedy = agents.filter((r) => r.kind === 'agent' && r.sweep !== undefined);
  if (sweepGreedy.length > 1) {
    out.push('## The sweep, point to point (greedy agents, in grid order)', '', ...sweepStepLines(sweepGreedy), '');
  }
  out.push("## Route-length distribution (routes per number of expert calls; the paper's Table 6)", '', routeLengthTable(rows, ctx.tmax), '');
  const stopping = agents.filter((r) => r.stopRule === 'learned');
  if (stopping.length > 0) {
    out.push('Did the learned STOP stop? Of the routes whose final score passes p0, the share that ended before Tmax:', '');
    for (const r of stopping) out.push(`- ${cell(r.label)}: ${formatStatN(r.metrics.stopsBeforeTmaxWhenPassing, 3)}`);
    out.push('');
  }
  const routed = rows.filter((r) => isAgentKind(r.kind) || r.kind === 'random-route' || r.kind === 'cascade');
  if (routed.length > 0) {
    out.push(`## Most frequent routes${ctx.seeds.length > 1 ? ' (all seeds together)' : ''}`, '');
    for (const r of routed) {
      const total = r.questions * Math.max(1, r.metrics.meanScore.n);
      out.push(`- ${cell(r.label)}: ${r.topRoutes.map((t) => `${t.route.join(' → ')} (${t.count}/${total})`).join('; ')}`);
    }
    out.push('');
  }
  const domains = domainTable(rows);
  if (domains)
    out.push('## Per domain (mean score · params per question)', '', domains, '', 'The full per-domain breakdown of every method is in results.csv.', '');
  out.push(
    '## Published reference rows',
    '',
    `${PUBLISHED_SOURCE}. Different data, experts and scorer setup from the rows above: for orientation only.`,
    '',
    publishedTable(),
    '',
  );
  if (ctx.charts.length > 0) {
    out.push('## Charts', '');
    for (const c of ctx.charts) out.push(`![${c.caption}](${c.file})`, '', `*${c.caption}*`, '');
  }
  if (ctx.notes.length > 0) out.push('## Notes', '', ...ctx.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line per method (domain "all") and per method × domain. */
export function resultsCsv(rows: readonly ReportRow[], tmax: number): string {
  const metricKeys = [
    'meanScore',
    'successRate',
    'accuracy',
    'meanRouteLength',
    'meanParamsB',
    'meanCalls',
    'meanTokens',
    'meanCostUSD',
    'meanReturn',
    'stopsBeforeTmaxWhenPassing',
  ] as const;
  const header = [
    'method_id',
    'label',
    'kind',
    'domain',
    'stop_rule',
    'uses_references',
    'alpha',
    'beta',
    'seeds_n',
    'questions',
    'failed',
    ...metricKeys.flatMap((k) => [k, `${k}_std`]),
    'score_x100',
    ...Array.from({ length: tmax }, (_, k) => `route_len_${k + 1}`),
    'route_len_over_tmax',
  ];
  const lines = [header.join(',')];
  for (const row of rows) {
    const parts: [string, Record<string, SeedStat>, boolean][] = [
      ['all', row.metrics, true],
      ...Object.entries(row.byDomain).map(([d, m]): [string, Record<string, SeedStat>, boolean] => [d, m, false]),
    ];
    for (const [domain, metrics, overall] of parts) {
      const fields = [
        row.id,
        row.label,
        row.kind,
        domain,
        row.stopRule,
        row.usesReferences ? 'yes' : 'no',
        row.sweep?.alpha,
        row.sweep?.beta,
        metrics.meanScore.n,
        overall ? row.questions : null,
        overall ? row.failed : null,
        ...metricKeys.flatMap((k) => [metrics[k].n > 0 ? metrics[k].mean : null, metrics[k].n > 0 ? metrics[k].std : null]),
        metrics.meanScore.n > 0 ? metrics.meanScore.mean * 100 : null,
        ...(overall ? [...row.routeLengthCounts, row.overTmax] : new Array(tmax + 1).fill(null)),
      ];
      lines.push(fields.map(csvField).join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** Notes every report carries: how the baselines ran, how the best single was chosen, what "parameters" counts. */
export function standardNotes(options: { exactMatch: boolean; stopMode?: StopRule }): string[] {
  const notes = [
    'Baselines run under the threshold rule on the same questions, experts, scorer and response cache as the agent; a single expert and the random pick make one call either way.',
    'The best single expert is chosen by its mean final score on the training split (not by mean return), then reported on the evaluation split.',
    "Parameters per question = the sum of the called experts' sizes C (billions); the agent itself (a small MLP on a sentence encoder) is not counted.",
  ];
  if (options.stopMode === 'threshold') {
    notes.push(
      'With the threshold stop the agent ends a route when the reference-based score reaches p0, so it uses references at decision time (†) like the random route and the cascade, and unlike the single experts; only the learned STOP (--stop learned, with an agent trained with it) gives a reference-free result.',
    );
  }
  if (options.exactMatch) notes.push('Exact-match accuracy: the last number of the final answer against the number after #### in the reference.');
  return notes;
}

/** The report's context from the first evaluation (experts, p0, Tmax, pool facts) plus what the caller knows. */
export function contextFromEvaluation(
  first: Evaluation,
  extra: Pick<ReportContext, 'title' | 'dataset' | 'split' | 'seeds' | 'runFile' | 'weightsFile' | 'iterations' | 'notes'> & {
    accuracy: boolean;
    sweep: boolean;
  },
): ReportContext {
  return {
    ...extra,
    questions: first.questions,
    stopMode: first.stopMode,
    p0: first.p0,
    tmax: first.tmax,
    simulated: first.simulated,
    knowledgeTransfer: first.knowledgeTransfer,
    scorer: first.scorer,
    experts: first.experts,
    bestSingle: first.bestSingle,
    cascadeOrder: first.cascadeOrder,
    randomSeeds: first.randomSeeds,
    sampledDraws: first.sampledDraws,
    charts: [
      { file: 'cost-quality.svg', caption: 'Cost–quality plane: expert parameters per question against mean score; dashed: Pareto frontier' },
      { file: 'route-lengths.svg', caption: 'Route-length distribution per method' },
      ...(extra.sweep ? [{ file: 'alpha-beta-frontier.svg', caption: 'α/β sweep: the trained agents on the cost–quality plane and their frontier' }] : []),
    ],
  };
}

/** Every file of a report folder, as [name, text]: report.md, results.csv, results.json and the SVG charts. */
export function reportFiles(rows: readonly ReportRow[], ctx: ReportContext): [string, string][] {
  const agents = rows.filter((r) => isAgentKind(r.kind));
  const sweep = agents.some((r) => r.sweep !== undefined);
  const files: [string, string][] = [
    ['report.md', reportMarkdown(rows, ctx)],
    ['results.csv', resultsCsv(rows, ctx.tmax)],
    ['results.json', JSON.stringify({ context: ctx, rows }, null, 1) + '\n'],
    ['cost-quality.svg', costQualitySvg(rows)],
    ['route-lengths.svg', routeLengthSvg(rows, ctx.tmax)],
  ];
  if (sweep)
    files.push([
      'alpha-beta-frontier.svg',
      sweepSvg(
        agents,
        rows.filter((r) => r.kind !== 'agent'),
      ),
    ]);
  return files;
}
