// Is a difference real or noise? The 2-SE rule on constructed inputs (a clear win, a tie, a loss,
// both directions, over seeds and paired over questions), the report's wording for each, the
// sampled-agent wrapper, and seeds_n per row of results.csv.
import { describe, expect, it } from 'vitest';
import type { KtpConfig, RewardConfig } from '../../src/der/config';
import { evaluateMethods } from '../../src/der/evaluation';
import { compareOverSeeds, comparePaired, compareRows, differenceWords, sweepStepLines, verdictOf, type QuestionMeans } from '../../src/der/evaluationCompare';
import { SEED_METRIC_KEYS, type SeedStat } from '../../src/der/evaluationMetrics';
import { comparisonLines, reportMarkdown, resultsCsv, contextFromEvaluation, NOISE_RULE, returnNoteFor } from '../../src/der/evaluationReport';
import { reportRows, type ReportRow } from '../../src/der/evaluationRows';
import { sampledPolicy } from '../../src/der/sampledPolicy';
import type { Policy, PolicyObservation } from '../../src/der/types';
import { fakeEncoder, fakePool, fakeScorer, question, scriptedPolicy } from './fakes';

const stat = (mean: number, std: number, n: number): SeedStat => ({ mean, std, n });

/** A report row with the given score / params / return stats and per-question means. */
function row(id: string, kind: ReportRow['kind'], s: { score: SeedStat; params: SeedStat; ret: SeedStat }, questionMeans: QuestionMeans = {}): ReportRow {
  const metrics = Object.fromEntries(SEED_METRIC_KEYS.map((k) => [k, stat(Number.NaN, Number.NaN, 0)])) as ReportRow['metrics'];
  metrics.meanScore = s.score;
  metrics.meanParamsB = s.params;
  metrics.meanReturn = s.ret;
  return {
    id,
    label: id,
    kind,
    stopRule: 'threshold',
    usesReferences: false,
    metrics,
    routeLengthCounts: [0, 0, 0],
    overTmax: 0,
    questions: 3,
    failed: 0,
    byDomain: {},
    topRoutes: [],
    questionMeans,
  };
}

describe('the 2-SE rule', () => {
  it('over seeds: SE = sqrt(s1²/N1 + s2²/N2); a clear win, a tie and a loss', () => {
    const agent = stat(0.8, 0.01, 3);
    const random = stat(0.75, 0.02, 20);
    const win = compareOverSeeds(agent, random, 'higher');
    expect(win.se).toBeCloseTo(Math.sqrt(0.01 ** 2 / 3 + 0.02 ** 2 / 20), 15);
    expect(win.diff).toBeCloseTo(0.05, 15);
    expect(win.basis).toBe('seeds');
    expect(win.verdict).toBe('first');
    // The same means with a noisy agent: 2 SE ≈ 0.081 > 0.05, so a tie.
    expect(compareOverSeeds(stat(0.8, 0.07, 3), random, 'higher').verdict).toBe('tie');
    expect(compareOverSeeds(stat(0.7, 0.01, 3), random, 'higher').verdict).toBe('second');
    // Lower is better (parameters per question): fewer params wins.
    expect(compareOverSeeds(stat(20, 1, 3), stat(30, 2, 20), 'lower').verdict).toBe('first');
    expect(compareOverSeeds(stat(40, 1, 3), stat(30, 2, 20), 'lower').verdict).toBe('second');
    // One seed on a side: the spread over seeds cannot be estimated.
    expect(compareOverSeeds(stat(0.9, 0, 1), random, 'higher').verdict).toBe('unknown');
  });

  it('a difference of exactly 2 SE is still a tie; beyond it is not', () => {
    expect(verdictOf(0.2, 0.1, 'higher')).toBe('tie');
    expect(verdictOf(0.2000001, 0.1, 'higher')).toBe('first');
    expect(verdictOf(-0.2000001, 0.1, 'higher')).toBe('second');
    expect(verdictOf(Number.NaN, 0.1, 'higher')).toBe('unknown');
  });

  it('paired over questions: SE = sd(d)/sqrt(Q) on the questions both rows answered', () => {
    const a: QuestionMeans = { q1: m(0.8), q2: m(0.7), q3: m(0.9), q4: m(0.5) };
    const b: QuestionMeans = { q1: m(0.7), q2: m(0.65), q3: m(0.8) };
    const d = [0.8 - 0.7, 0.7 - 0.65, 0.9 - 0.8];
    const mean = d.reduce((s, x) => s + x, 0) / 3;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    const paired = comparePaired(a, b, 'meanScore', 'higher');
    expect(paired.pairs).toBe(3);
    expect(paired.diff).toBeCloseTo(mean, 15);
    expect(paired.se).toBeCloseTo(sd / Math.sqrt(3), 15);
    expect(paired.verdict).toBe('first'); // 0.083 > 2 × 0.0167
    // Differences of mixed sign around zero: a tie.
    const c: QuestionMeans = { q1: m(0.75), q2: m(0.6), q3: m(0.85) };
    expect(comparePaired(c, b, 'meanScore', 'higher').verdict).toBe('tie');
    expect(comparePaired({ q1: m(1) }, b, 'meanScore', 'higher').verdict).toBe('unknown');
  });

  it('compareRows uses seeds when both rows have N ≥ 2, else the paired comparison', () => {
    const qa: QuestionMeans = { q1: m(0.8), q2: m(0.7), q3: m(0.9) };
    const qb: QuestionMeans = { q1: m(0.7), q2: m(0.65), q3: m(0.8) };
    const s = (n: number) => ({ score: stat(0.8, 0.01, n), params: stat(10, 1, n), ret: stat(3, 0.1, n) });
    expect(compareRows(row('a', 'agent', s(3), qa), row('b', 'cascade', s(3), qb), 'meanScore', 'higher').basis).toBe('seeds');
    const one = compareRows(row('a', 'agent', s(1), qa), row('b', 'random-route', s(20), qb), 'meanScore', 'higher');
    expect(one.basis).toBe('paired');
    expect(one.pairs).toBe(3);
  });

  it('says in words which side is better beyond 2 SE, or "within noise (a tie)"', () => {
    const random = row('random route', 'random-route', { score: stat(0.75, 0.02, 20), params: stat(30, 2, 20), ret: stat(3.0, 0.3, 20) });
    const cascade = row('cascade', 'cascade', { score: stat(0.79, 0.01, 3), params: stat(18, 0.5, 3), ret: stat(3.1, 0.1, 3) });
    const agent = row('DER agent (greedy)', 'agent', { score: stat(0.8, 0.01, 3), params: stat(20, 1, 3), ret: stat(3.05, 0.05, 3) });
    const lines = comparisonLines(agent, [random, cascade]);
    const vsRandom = lines.find((l) => l.startsWith('- vs random route'))!;
    const vsCascade = lines.find((l) => l.startsWith('- vs cascade'))!;
    // A clear win on score and params against the random route; a tie on return (0.05 < 2 SE ≈ 0.14).
    expect(vsRandom).toMatch(
      /mean score 0\.8000 ± 0\.0100 \(N = 3\) vs 0\.7500 ± 0\.0200 \(N = 20\), difference \+0\.0500, 2 SE = 0\.0146 \(SE over seeds\): the agent is better \(the difference exceeds 2 SE\)/,
    );
    expect(vsRandom).toMatch(
      /params \/ question 20\.0B ± 1\.0B \(N = 3\) vs 30\.0B ± 2\.0B \(N = 20\), difference -10\.0, 2 SE = [\d.]+ \(SE over seeds\): the agent is better/,
    );
    expect(vsRandom).toMatch(/mean return [^;]*: within noise \(a tie\)/);
    // Against the cascade: a tie on score (0.01 < 2 SE ≈ 0.016), the cascade is better on params.
    expect(vsCascade).toMatch(/mean score [^;]*: within noise \(a tie\)/);
    expect(vsCascade).toMatch(/params \/ question [^;]*: the baseline is better \(the difference exceeds 2 SE\)/);
    expect(lines[0]).toBe(
      '**DER agent (greedy)** against 2 baselines, counting only differences beyond 2 SE: score: better than 1, worse than 0, a tie with 1; params / question: better than 1, worse than 1, a tie with 0; return: better than 0, worse than 0, a tie with 2. Better on both score and params than 1.',
    );
  });

  it('walks an α sweep point to point: params fall beyond 2 SE, route length within noise', () => {
    const point = (alpha: number, params: SeedStat, length: SeedStat) => {
      const r = row(`a${alpha}`, 'agent', { score: stat(0.78, 0.01, 3), params, ret: stat(3, 0.1, 3) });
      r.metrics.meanRouteLength = length;
      return { ...r, sweep: { alpha, beta: 5 } };
    };
    const lines = sweepStepLines([
      point(0.001, stat(40, 2, 3), stat(3.0, 0.3, 3)),
      point(0.01, stat(25, 2, 3), stat(2.8, 0.3, 3)),
      point(0.03, stat(30, 1, 3), stat(1.5, 0.1, 3)),
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^- α=0\.001 β=5 → α=0\.01 β=5: params \/ question falls \(difference -15\.0, 2 SE = 3\.3 \(SE over seeds\): α=0\.01 β=5 is better/,
    );
    expect(lines[0]).toMatch(/mean route length stays within noise/);
    expect(lines[1]).toMatch(/params \/ question rises .*α=0\.01 β=5 is better/);
    expect(lines[1]).toMatch(/mean route length falls/);
  });

  it('in a sweep, compares returns only for the point whose α/β the baselines ran with', () => {
    const s = { score: stat(0.8, 0.01, 3), params: stat(20, 1, 3), ret: stat(3, 0.1, 3) };
    const first = { ...row('a1', 'agent', s), sweep: { alpha: 0.001, beta: 5 } };
    const other = { ...row('a2', 'agent', s), sweep: { alpha: 0.03, beta: 5 } };
    const cascade = row('cascade', 'cascade', { score: stat(0.7, 0.01, 3), params: stat(18, 0.5, 3), ret: stat(1, 0.1, 3) });
    expect(returnNoteFor(first, [first, other])).toBeUndefined();
    const note = returnNoteFor(other, [first, other]);
    expect(note).toBe("the baselines' returns are computed with α=0.001, β=5, this agent's with α=0.03, β=5");
    const lines = comparisonLines(other, [cascade], { returnNote: note });
    expect(lines[0]).toMatch(/return: not compared\./);
    expect(lines[2]).toMatch(/mean return not compared \(the baselines' returns are computed with α=0\.001/);
    expect(comparisonLines(first, [cascade])[0]).toMatch(/return: better than 1, worse than 0, a tie with 0\./);
  });

  it('words a difference whose noise cannot be estimated', () => {
    expect(differenceWords({ diff: 0.1, se: Number.NaN, basis: 'seeds', verdict: 'unknown' }, 2, { first: 'a', second: 'b' })).toBe(
      'difference +0.10: the noise cannot be estimated (fewer than 2 seeds), so no verdict',
    );
  });
});

/** One CSV line; quoted fields (labels hold commas) with "" escapes. */
function csvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function m(score: number) {
  return { meanScore: score, meanParamsB: 10, meanReturn: 3 };
}

describe('sampled agent', () => {
  const obs = (id: string, t: number, allowed: boolean[]): PolicyObservation => ({
    question: question(id),
    state: new Float32Array(0),
    t,
    lastScore: Number.NaN,
    allowed,
  });
  const fixed: Policy = {
    name: 'fixed',
    act: async (observations) => observations.map(() => ({ action: 0, probs: [0.5, 0.3, 0.2, 0], logProb: Math.log(0.5), value: 1 })),
  };

  it('samples from the policy over the allowed actions, the same way for the same seed', async () => {
    const observations = Array.from({ length: 4000 }, (_, i) => obs(`q${i}`, 1, [true, true, true, false]));
    const a = await sampledPolicy(fixed, 7).act(observations);
    const b = await sampledPolicy(fixed, 7).act(observations);
    const c = await sampledPolicy(fixed, 8).act(observations);
    expect(a.map((d) => d.action)).toEqual(b.map((d) => d.action));
    expect(a.map((d) => d.action)).not.toEqual(c.map((d) => d.action));
    const share = (k: number) => a.filter((d) => d.action === k).length / a.length;
    // Binomial sd at n = 4000 is below 0.008: 4 sd either side.
    expect(share(0)).toBeGreaterThan(0.5 - 0.032);
    expect(share(0)).toBeLessThan(0.5 + 0.032);
    expect(share(2)).toBeGreaterThan(0.2 - 0.026);
    expect(share(3)).toBe(0);
    for (const d of a) expect(d.logProb).toBeCloseTo(Math.log([0.5, 0.3, 0.2][d.action]), 12);
  });

  it('renormalises over the allowed actions and never picks a masked one', async () => {
    const decisions = await sampledPolicy(fixed, 1).act(Array.from({ length: 200 }, (_, i) => obs(`q${i}`, 0, [false, true, true, false])));
    expect(decisions.every((d) => d.action === 1 || d.action === 2)).toBe(true);
    expect(decisions[0].probs).toEqual([0, 0.3 / 0.5, 0.2 / 0.5, 0]);
    await expect(sampledPolicy(fixed, 1).act([obs('q', 0, [false, false, false, true])])).rejects.toThrow(/no probability to any allowed action/);
  });
});

describe('report files carry N', () => {
  const REWARD = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 3 } as RewardConfig;
  const KTP: KtpConfig = { template: 'reference', custom: '' };
  const TEST = Array.from({ length: 6 }, (_, i) => question(`q${i}`));
  const scoreOf = (id: string, expert: number, t: number) => 0.5 + 0.06 * expert + 0.04 * t + 0.01 * Number(id.slice(1));
  const run = (seed: number) =>
    evaluateMethods(
      { pool: fakePool(scoreOf), scorer: fakeScorer(), encoder: fakeEncoder() },
      {
        test: TEST,
        agent: scriptedPolicy(Object.fromEntries(TEST.map((q) => [q.id, [2, 1, 0]])), 3),
        stopMode: 'threshold',
        reward: REWARD,
        ktp: KTP,
        randomSeed: seed,
        randomSeeds: 4,
        sampledDraws: 2,
      },
    );

  it('results.csv keeps seeds_n per row (draws × seeds for stochastic rows) and report.md states the rule', async () => {
    const evaluations = [await run(1), await run(2)];
    const rows = reportRows(evaluations);
    const csv = resultsCsv(rows, 3).trimEnd().split('\n').map(csvLine);
    const h = csv[0];
    const n = (id: string) => csv.find((l) => l[h.indexOf('method_id')] === id && l[h.indexOf('domain')] === 'all')![h.indexOf('seeds_n')];
    expect(n('agent')).toBe('2');
    expect(n('agent-sampled')).toBe('4');
    expect(n('random-route')).toBe('8');
    expect(n('random-pick')).toBe('8');
    expect(n('cascade')).toBe('2');
    const md = reportMarkdown(
      rows,
      contextFromEvaluation(evaluations[0], { title: 't', dataset: 'fake', split: 'test', seeds: [1, 2], accuracy: false, sweep: false, notes: [] }),
    );
    expect(md).toContain(NOISE_RULE);
    expect(md).toContain('The random pick and the random route run 4 draws per seed, the sampled agent 2');
    expect(md).toMatch(/^\| method \| N \| mean score/m);
    expect(md).toMatch(/^\| random route \(until p0 or Tmax\) † \| 8 \|/m);
    // Both agent rows are compared with every baseline.
    expect(md.match(/^\*\*DER agent \((greedy|sampled)/gm)).toHaveLength(2);
  });
});
