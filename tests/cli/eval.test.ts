// @vitest-environment jsdom
// The eval CLI end to end on a tiny run (`npm run train -- --iterations 1`): the report files are
// written and well-formed, the best value of each column is the one marked, the route-length
// counts add up, and the stop mode is checked. jsdom provides DOMParser for the SVG check only;
// the CLI itself runs in a Node child process.
import { parseRunFile } from '../../src/der/runRecordIO';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'der-eval-'));
const tsx = (args: string[]) => run('npx', ['tsx', ...args], { env: { ...process.env, ORT_DISABLE_TELEMETRY: '1' }, maxBuffer: 1 << 26 });
const runFile = join(dir, 'run.jsonl');
const QUESTIONS = 12;

/** Minimal CSV reader (quoted fields with "" escapes; no newlines inside fields in our output). */
function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
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
    });
}

/** The markdown table that follows `heading` (until the first blank line). */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return [rows[0], ...rows.slice(2)];
}

function wellFormedSvg(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  expect(doc.documentElement.nodeName).toBe('svg');
  return doc;
}

beforeAll(async () => {
  // The threshold stop (tuned defaults to the learned STOP): the report's threshold wording and the refusal of --stop learned are checked below.
  await tsx(['src/cli/train.ts', '--preset', 'tuned', '--stop-rule', 'threshold', '--iterations', '1', '--seed', '3', '--out', runFile, '--quiet']);
}, 120_000);

describe('eval CLI', () => {
  it('train writes the agent weights next to the run file', () => {
    expect(existsSync(join(dir, 'run.weights.json'))).toBe(true);
    const saved = JSON.parse(readFileSync(join(dir, 'run.weights.json'), 'utf8'));
    expect(saved.format).toBe('der-workbench-weights');
    expect(saved.meta.config.seed).toBe(3);
  });

  it('writes report.md, results.csv and SVG charts; the best value per column is the one in bold', async () => {
    const out = join(dir, 'report');
    const { stdout } = await tsx([
      'src/cli/eval.ts',
      '--run',
      runFile,
      '--out',
      out,
      '--max-questions',
      String(QUESTIONS),
      '--train-questions',
      '24',
      '--quiet',
    ]);
    expect(stdout).toContain('SIMULATED');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('**SIMULATED expert pool**');
    expect(md).toMatch(/Agent stop mode: \*\*threshold/);
    expect(md).toContain(`Questions: ${QUESTIONS} from the **test** split`);
    expect(md).toContain('published, not measured here');
    expect(md).toContain('Oracle pick by BERTScore');

    const table = tableAfter(md, '## Results');
    const [headings, ...rows] = table;
    expect(rows.map((r) => r[0])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DER agent/),
        expect.stringMatching(/^call all 11, pick best/),
        expect.stringMatching(/^cascade/),
        expect.stringMatching(/^best single on train/),
      ]),
    );
    // agent greedy and sampled, random pick, random route, 11 singles, best single, cascade, oracle
    expect(rows).toHaveLength(2 + 2 + 11 + 1 + 1 + 1);
    // N per row: one trained agent, 5 sampled draws, 20 random draws, one value for a deterministic baseline.
    expect(headings[1]).toBe('N');
    const nOf = (prefix: string) => rows.find((r) => r[0].startsWith(prefix))![1];
    expect([nOf('DER agent (greedy'), nOf('DER agent (sampled'), nOf('random route'), nOf('random pick'), nOf('cascade')]).toEqual(['1', '5', '20', '20', '1']);
    expect(rows.find((r) => r[0].startsWith('random route'))![2]).toMatch(/^(\*\*)?\d\.\d{4} ± \d\.\d{4}/);
    const meanOf = (text: string) => Number(text.replace(/\*/g, '').split(' ± ')[0]);
    for (let c = 2; c < headings.length; c++) {
      const values = rows.map((r) => meanOf(r[c]));
      const target = headings[c].endsWith('↑') ? Math.max(...values) : Math.min(...values);
      const bold = rows.flatMap((r, i) => (r[c].startsWith('**') ? [i] : []));
      expect(bold.length, headings[c]).toBeGreaterThan(0);
      for (const i of bold) expect(values[i], headings[c]).toBe(target);
    }
    // The oracle is the upper bound on score: at least every single expert's.
    const scoreCol = headings.findIndex((h) => h.startsWith('mean score'));
    const score = (prefix: string) => rows.filter((r) => r[0].startsWith(prefix)).map((r) => meanOf(r[scoreCol]));
    for (const s of score('single:')) expect(score('call all')[0]).toBeGreaterThanOrEqual(s);
    // One sentence per baseline for each agent row, each with a verdict on score, params and return.
    expect(md.match(/^- vs /gm)).toHaveLength(2 * (rows.length - 2));
    for (const line of md.match(/^- vs .*$/gm)!)
      expect(line.match(/within noise \(a tie\)|is better \(the difference exceeds 2 SE\)|no verdict/g)).toHaveLength(3);
    expect(md).toContain('A difference counts only when it exceeds 2 standard errors');
    // One trained agent: its comparisons are paired over the questions.
    expect(md).toMatch(/SE paired over 12 questions/);

    const routes = tableAfter(md, '## Route-length distribution');
    // Stochastic rows show the mean count per draw (one decimal), so their sum is within rounding of Q.
    for (const r of routes.slice(1)) expect(r.slice(1, -1).reduce((s, v) => s + Number(v), 0)).toBeCloseTo(QUESTIONS, 0);

    const csv = parseCsv(readFileSync(join(out, 'results.csv'), 'utf8'));
    const header = csv[0];
    for (const line of csv) expect(line).toHaveLength(header.length);
    const overall = csv.slice(1).filter((l) => l[header.indexOf('domain')] === 'all');
    expect(overall).toHaveLength(rows.length);
    const routeCols = header.flatMap((h, i) => (h.startsWith('route_len_') ? [i] : []));
    for (const l of overall) expect(routeCols.reduce((s, i) => s + Number(l[i]), 0)).toBeCloseTo(QUESTIONS, 9);
    expect(overall.find((l) => l[header.indexOf('method_id')] === 'random-route')![header.indexOf('seeds_n')]).toBe('20');
    expect(csv.slice(1).some((l) => l[header.indexOf('domain')] !== 'all')).toBe(true);

    const plane = wellFormedSvg(readFileSync(join(out, 'cost-quality.svg'), 'utf8'));
    expect(plane.querySelectorAll('circle.point')).toHaveLength(rows.length - 1); // best single duplicates a single expert
    expect(plane.querySelectorAll('polyline.frontier')).toHaveLength(1);
    const bars = wellFormedSvg(readFileSync(join(out, 'route-lengths.svg'), 'utf8'));
    expect(bars.querySelectorAll('rect.segment').length).toBeGreaterThanOrEqual(rows.length - 1);
  }, 180_000);

  it('refuses the learned stop for an agent trained with the threshold stop', async () => {
    await expect(tsx(['src/cli/eval.ts', '--run', runFile, '--stop', 'learned', '--out', join(dir, 'x'), '--quiet'])).rejects.toMatchObject({
      stderr: expect.stringContaining('trained with the threshold stop'),
    });
  }, 60_000);

  it('names the missing weights file and how to get one', async () => {
    await expect(tsx(['src/cli/eval.ts', '--run', runFile, '--weights', join(dir, 'none.json'), '--out', join(dir, 'y'), '--quiet'])).rejects.toMatchObject({
      stderr: expect.stringContaining('no agent weights at'),
    });
  }, 60_000);

  it('--sweep with --seeds trains a grid in-process and reports mean ± std with N and the α/β frontier', async () => {
    const out = join(dir, 'sweep');
    await tsx([
      'src/cli/eval.ts',
      '--sweep',
      'alpha=0.001,0.02',
      '--seeds',
      '2',
      '--random-seeds',
      '3',
      '--iterations',
      '1',
      '--seed',
      '5',
      '--max-questions',
      '6',
      '--train-questions',
      '10',
      '--out',
      out,
      '--quiet',
    ]);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('Seeds: 5, 6 (N = 2)');
    expect(md).toMatch(/DER agent α=0\.001 β=5/);
    expect(md).toMatch(/DER agent α=0\.02 β=5/);
    expect(md).toMatch(/\d\.\d{4} ± \d\.\d{4}/);
    const csv = parseCsv(readFileSync(join(out, 'results.csv'), 'utf8'));
    const h = csv[0];
    const agents = csv.slice(1).filter((l) => l[h.indexOf('kind')] === 'agent' && l[h.indexOf('domain')] === 'all');
    expect(agents.map((l) => l[h.indexOf('alpha')])).toEqual(['0.001', '0.02']);
    expect(agents.every((l) => l[h.indexOf('seeds_n')] === '2')).toBe(true);
    // Sampled agents: 5 draws × 2 seeds; random route: 3 draws (--random-seeds 3) × 2 seeds.
    const nOf = (kind: string) =>
      csv
        .slice(1)
        .filter((l) => l[h.indexOf('kind')] === kind && l[h.indexOf('domain')] === 'all')
        .map((l) => l[h.indexOf('seeds_n')]);
    expect(nOf('agent-sampled')).toEqual(['10', '10']);
    expect(nOf('random-route')).toEqual(['6']);
    // Two agents per seed group: their comparisons are over seeds.
    expect(md).toMatch(/SE over seeds/);
    const frontier = wellFormedSvg(readFileSync(join(out, 'alpha-beta-frontier.svg'), 'utf8'));
    expect(frontier.querySelectorAll('polyline.frontier')).toHaveLength(1);
    // Each point opens its run: the report links one run file per (α, β, seed), and each is a valid run of that α.
    const links = [...md.matchAll(/\[α=([\d.]+) β=5 seed (\d)\]\((runs\/[^)]+\.jsonl)\)/g)];
    expect(links.map((m) => `${m[1]}/${m[2]}`)).toEqual(['0.001/5', '0.001/6', '0.02/5', '0.02/6']);
    for (const [, alpha, seed, file] of links) {
      const saved = parseRunFile(readFileSync(join(out, file), 'utf8'));
      expect(saved.header.config.reward.alpha).toBe(Number(alpha));
      expect(saved.header.seed).toBe(Number(seed));
      expect(saved.episodes.length).toBeGreaterThan(0);
      expect(saved.iterations).toHaveLength(1);
    }
  }, 240_000);
});
