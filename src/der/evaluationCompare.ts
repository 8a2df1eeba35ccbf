// Is a difference between an agent and a baseline real, or noise? The report says so in words:
// a difference counts only when it exceeds 2 standard errors, otherwise it is "within noise (a tie)".
//
// Two ways to get the standard error, and the report states which one it used:
// - over seeds, when both rows have N ≥ 2 values (agent training seeds, random-baseline draws):
//   SE = sqrt(s1²/N1 + s2²/N2), with s the sample sd over seeds;
// - paired over questions, when a row has one value (one trained agent, or a deterministic
//   baseline on one pool): d_q = row1_q − row2_q for each held-out question q (a row's value on q
//   is its mean over seeds and draws), SE = sd(d)/sqrt(Q). This counts question-to-question noise
//   but not training-seed noise, which one seed cannot estimate.
import type { SeedStat } from './evaluationMetrics';

export type CompareMetric = 'meanScore' | 'meanParamsB' | 'meanReturn';

export const COMPARE_METRICS: readonly { key: CompareMetric; name: string; better: 'higher' | 'lower'; digits: number; unit: string }[] = [
  { key: 'meanScore', name: 'mean score', better: 'higher', digits: 4, unit: '' },
  { key: 'meanParamsB', name: 'params / question', better: 'lower', digits: 1, unit: 'B' },
  { key: 'meanReturn', name: 'mean return', better: 'higher', digits: 3, unit: '' },
];

/** Per question id: the row's mean over seeds/draws of the compared quantities. */
export type QuestionMeans = Record<string, Record<CompareMetric, number>>;

export interface Comparable {
  metrics: Record<CompareMetric, SeedStat>;
  questionMeans: QuestionMeans;
}

export type Verdict = 'first' | 'second' | 'tie' | 'unknown';

export interface Difference {
  /** first − second (of the means). */
  diff: number;
  /** The standard error of that difference; NaN when it cannot be estimated. */
  se: number;
  /** How SE was obtained. */
  basis: 'seeds' | 'paired';
  /** Questions in the paired comparison. */
  pairs?: number;
  /** Which side is better beyond 2 SE; 'tie' within 2 SE; 'unknown' when SE cannot be estimated. */
  verdict: Verdict;
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sampleSd = (v: readonly number[]) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
};

/** The verdict of a difference with its SE: beyond 2 SE the better side wins, otherwise a tie. */
export function verdictOf(diff: number, se: number, better: 'higher' | 'lower'): Verdict {
  if (!Number.isFinite(diff) || !Number.isFinite(se)) return 'unknown';
  if (Math.abs(diff) <= 2 * se) return 'tie';
  const firstBetter = better === 'higher' ? diff > 0 : diff < 0;
  return firstBetter ? 'first' : 'second';
}

/** Difference of two means over seeds: SE = sqrt(s1²/N1 + s2²/N2). Needs N ≥ 2 on both sides. */
export function compareOverSeeds(a: SeedStat, b: SeedStat, better: 'higher' | 'lower'): Difference {
  const diff = a.mean - b.mean;
  const se = a.n >= 2 && b.n >= 2 ? Math.sqrt(a.std ** 2 / a.n + b.std ** 2 / b.n) : Number.NaN;
  return { diff, se, basis: 'seeds', verdict: verdictOf(diff, se, better) };
}

/** Paired difference over the questions both rows answered: SE = sd(d)/sqrt(Q). Needs Q ≥ 2. */
export function comparePaired(a: QuestionMeans, b: QuestionMeans, key: CompareMetric, better: 'higher' | 'lower'): Difference {
  const d = Object.keys(a)
    .filter((q) => b[q] !== undefined && Number.isFinite(a[q][key]) && Number.isFinite(b[q][key]))
    .map((q) => a[q][key] - b[q][key]);
  if (d.length < 2) return { diff: d.length === 1 ? d[0] : Number.NaN, se: Number.NaN, basis: 'paired', pairs: d.length, verdict: 'unknown' };
  const diff = mean(d);
  const se = sampleSd(d) / Math.sqrt(d.length);
  return { diff, se, basis: 'paired', pairs: d.length, verdict: verdictOf(diff, se, better) };
}

/** Over seeds when both rows have N ≥ 2, else paired over questions. */
export function compareRows(a: Comparable, b: Comparable, key: CompareMetric, better: 'higher' | 'lower'): Difference {
  if (a.metrics[key].n >= 2 && b.metrics[key].n >= 2) return compareOverSeeds(a.metrics[key], b.metrics[key], better);
  return comparePaired(a.questionMeans, b.questionMeans, key, better);
}

/** "within noise (a tie)" or who is better, with the numbers that decide it. */
export function differenceWords(d: Difference, digits: number, names: { first: string; second: string }): string {
  const basis = d.basis === 'seeds' ? 'SE over seeds' : `SE paired over ${d.pairs ?? 0} questions`;
  const sign = d.diff > 0 ? '+' : '';
  const numbers = Number.isFinite(d.se)
    ? `difference ${sign}${d.diff.toFixed(digits)}, 2 SE = ${(2 * d.se).toFixed(digits)} (${basis})`
    : `difference ${sign}${Number.isFinite(d.diff) ? d.diff.toFixed(digits) : 'n/a'}`;
  switch (d.verdict) {
    case 'first':
      return `${numbers}: ${names.first} is better (the difference exceeds 2 SE)`;
    case 'second':
      return `${numbers}: ${names.second} is better (the difference exceeds 2 SE)`;
    case 'tie':
      return `${numbers}: within noise (a tie)`;
    default:
      return `${numbers}: the noise cannot be estimated (${d.basis === 'seeds' ? 'fewer than 2 seeds' : 'fewer than 2 shared questions'}), so no verdict`;
  }
}

/** What a sweep step needs from a report row. */
export interface SweepComparable extends Comparable {
  label: string;
  sweep?: { alpha: number; beta: number };
  metrics: Comparable['metrics'] & Record<'meanRouteLength', SeedStat>;
  questionMeans: QuestionMeans;
}

/**
 * The α/β sweep in words: the points in the given order (the grid's), and for each step to the
 * next point whether parameters per question and route length fell, rose, or stayed within noise
 * (2 SE). Route length is compared over seeds only (no per-question value is kept for it).
 */
export function sweepStepLines(points: readonly SweepComparable[]): string[] {
  const lines: string[] = [];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    const name = (p: SweepComparable) => (p.sweep ? `α=${p.sweep.alpha} β=${p.sweep.beta}` : p.label);
    const params = compareRows(b, a, 'meanParamsB', 'lower');
    const length = compareOverSeeds(b.metrics.meanRouteLength, a.metrics.meanRouteLength, 'lower');
    const move = (d: Difference) =>
      d.verdict === 'first' ? 'falls' : d.verdict === 'second' ? 'rises' : d.verdict === 'tie' ? 'stays within noise' : 'cannot be judged';
    lines.push(
      `- ${name(a)} → ${name(b)}: params / question ${move(params)} (${differenceWords(params, 1, { first: name(b), second: name(a) })}); ` +
        `mean route length ${move(length)} (${differenceWords(length, 2, { first: name(b), second: name(a) })}).`,
    );
  }
  return lines;
}
