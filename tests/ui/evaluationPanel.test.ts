// @vitest-environment jsdom
// The Evaluation tab renders a real evaluation (fake adapters): the table has one row per method
// (greedy and sampled agent rows) with N and the best value of each column in bold, the SIMULATED
// label, one sentence per baseline for each agent row with its 2-SE verdict, both charts, and the
// report files as downloads; a failing evaluation (or a bad draw count) shows its message.
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KtpConfig, RewardConfig } from '../../src/der/config';
import { evaluateMethods } from '../../src/der/evaluation';
import { EvaluationPanel } from '../../src/ui/evaluation/EvaluationPanel';
import type { SessionEvaluationOptions } from '../../src/session/evaluateSession';
import { EXPERTS, fakeEncoder, fakePool, fakeScorer, question, scriptedPolicy } from '../der/fakes';

const REWARD: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 3 };
const KTP: KtpConfig = { template: 'reference', custom: '' };
const TEST = Array.from({ length: 6 }, (_, i) => question(`q${i}`));
const scoreOf = (id: string, expert: number, t: number) => 0.5 + 0.06 * expert + 0.04 * t + 0.01 * Number(id.slice(1));

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

let container: HTMLDivElement;
afterEach(() => container?.remove());

async function render(
  evaluate: (o: SessionEvaluationOptions) => Promise<Awaited<ReturnType<typeof evaluateMethods>>>,
  draws?: { randomSeeds: string; sampledDraws: string },
) {
  container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => root.render(createElement(EvaluationPanel, { evaluate, runStopRule: 'threshold', datasetLabel: 'fake', seed: 1 })));
  if (draws) {
    await setInput(container.querySelector<HTMLInputElement>('input[aria-label="Random seeds"]')!, draws.randomSeeds);
    await setInput(container.querySelector<HTMLInputElement>('input[aria-label="Sampled draws"]')!, draws.sampledDraws);
  }
  const button = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Evaluate')!;
  await act(async () => button.click());
  // The fake experts answer after a few milliseconds: let the evaluation finish (or fail).
  const finished = () => container.querySelector('[data-testid="evaluation-table"], [role="alert"]') !== null;
  for (let i = 0; i < 500 && !finished(); i++) await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
  return container;
}

/** Types into a React-controlled input (the native setter, then an input event React listens to). */
async function setInput(input: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  await act(async () => {
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('EvaluationPanel', () => {
  it('shows the results table with the best per column in bold, the comparisons, the charts and the downloads', async () => {
    const asked: SessionEvaluationOptions[] = [];
    const view = await render(
      async (options) => {
        asked.push(options);
        return evaluateMethods(
          { pool: fakePool(scoreOf), scorer: fakeScorer(), encoder: fakeEncoder() },
          {
            test: TEST,
            train: TEST,
            agent: scriptedPolicy(Object.fromEntries(TEST.map((q) => [q.id, [2, 2, 2]])), 3),
            stopMode: options.stopMode,
            reward: REWARD,
            ktp: KTP,
            randomSeed: 1,
            randomSeeds: options.randomSeeds,
            sampledDraws: options.sampledDraws,
          },
        );
      },
      { randomSeeds: '6', sampledDraws: '3' },
    );
    expect(asked).toEqual([{ split: 'test', stopMode: 'threshold', maxQuestions: undefined, randomSeeds: 6, sampledDraws: 3 }]);
    const table = view.querySelector('[data-testid="evaluation-table"]')!;
    const rows = [...table.querySelectorAll('tbody tr')];
    // agent greedy and sampled, random pick, random route, 3 singles, best single, cascade, oracle
    expect(rows).toHaveLength(2 + 2 + EXPERTS.length + 1 + 1 + 1);
    const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
    // N: one agent, the sampled agent's 3 draws, the random baselines' 6 draws.
    expect(headings[1]).toBe('N');
    const n = (label: RegExp) => rows.find((r) => label.test(r.querySelector('th')!.textContent ?? ''))!.querySelectorAll('td')[0].textContent;
    expect(n(/^DER agent \(greedy/)).toBe('1');
    expect(n(/^DER agent \(sampled/)).toBe('3');
    expect(n(/^random route/)).toBe('6');
    expect(n(/^cascade/)).toBe('1');
    // Mean ± sd where there is a spread.
    expect(rows.find((r) => /^random route/.test(r.querySelector('th')!.textContent ?? ''))!.querySelectorAll('td')[1].textContent).toMatch(
      /^\d\.\d{4} ± \d\.\d{4}$/,
    );
    for (let c = 2; c < headings.length; c++) {
      const cells = rows.map((r) => r.querySelectorAll('th, td')[c]);
      const values = cells.map((cell) => Number((cell.textContent ?? '').split(' ± ')[0]));
      const target = headings[c].endsWith('↑') ? Math.max(...values) : Math.min(...values);
      const bold = cells.flatMap((cell, i) => (cell.querySelector('strong') ? [i] : []));
      expect(bold.length, headings[c]).toBeGreaterThan(0);
      for (const i of bold) expect(values[i], headings[c]).toBe(target);
    }
    expect(view.textContent).toContain('SIMULATED');
    // Per agent row: the tally, then a verdict table (one row per baseline; score, params, return),
    // each cell a 2-SE verdict in words with the full sentence as its tooltip.
    const blocks = [...view.querySelectorAll('.evaluation-comparisons')];
    expect(blocks.map((b) => b.getAttribute('data-agent'))).toEqual(['agent', 'agent-sampled']);
    for (const block of blocks) {
      expect(block.querySelector('.evaluation-verdict-summary')?.textContent).toMatch(/counting only differences beyond 2 SE/);
      const verdictRows = [...block.querySelectorAll('tbody tr')];
      expect(verdictRows).toHaveLength(rows.length - 2);
      for (const r of verdictRows) {
        const cells = [...r.querySelectorAll('td')];
        expect(cells).toHaveLength(3);
        for (const c of cells) {
          expect(c.textContent).toMatch(/^(agent better|baseline better|tie \(within noise\)|no verdict)/);
          expect(c.getAttribute('title')).toMatch(/within noise \(a tie\)|is better \(the difference exceeds 2 SE\)|no verdict/);
        }
      }
    }
    // The greedy agent is one trained agent (N = 1): its comparisons are paired over the 6 questions.
    expect(blocks[0].querySelector('td')!.getAttribute('title')).toMatch(/SE paired over 6 questions/);
    expect(view.querySelector('.evaluation-noise-rule')?.textContent).toMatch(/exceeds 2 standard errors/);
    const charts = [...view.querySelectorAll<HTMLImageElement>('.evaluation-charts img')];
    expect(charts).toHaveLength(2);
    for (const img of charts) expect(decodeURIComponent(img.src)).toMatch(/^data:image\/svg\+xml;charset=utf-8,<svg/);
    const downloads = [...view.querySelectorAll('.evaluation-downloads button')].map((b) => b.textContent);
    expect(downloads).toEqual(['report.md', 'results.csv', 'results.json', 'cost-quality.svg', 'route-lengths.svg']);
  });

  it('shows why an evaluation failed', async () => {
    const view = await render(async () => {
      throw new Error('Pause training before evaluating.');
    });
    expect(view.querySelector('[role="alert"]')?.textContent).toBe('Pause training before evaluating.');
    expect(view.querySelector('[data-testid="evaluation-table"]')).toBeNull();
  });

  it('with the learned STOP, says how often a passing route stopped before Tmax', async () => {
    container = document.createElement('div');
    document.body.appendChild(container);
    const root = createRoot(container);
    // P = 0.70 + 0.01·i + 0.01·t: q3…q5 pass p0 = 0.73 from the first call. The agent calls expert 2
    // then STOPs (action 3), except on q5, where it calls three times (Tmax). Passing routes: q3, q4
    // (stopped after one call) and q5 (ran to Tmax), so 2 of 3 stopped before Tmax.
    const high = (id: string, _expert: number, t: number) => 0.7 + 0.01 * Number(id.slice(1)) + 0.01 * t;
    const script = Object.fromEntries(TEST.map((q) => [q.id, q.id === 'q5' ? [2, 2, 2] : [2, 3]]));
    const evaluate = async (options: SessionEvaluationOptions) =>
      evaluateMethods(
        { pool: fakePool(high), scorer: fakeScorer(), encoder: fakeEncoder() },
        { test: TEST, agent: scriptedPolicy(script, 4), stopMode: options.stopMode, reward: REWARD, ktp: KTP, randomSeed: 1, randomSeeds: 2, sampledDraws: 0 },
      );
    await act(async () => root.render(createElement(EvaluationPanel, { evaluate, runStopRule: 'learned', datasetLabel: 'fake', seed: 1 })));
    await act(async () => [...container.querySelectorAll('button')].find((b) => b.textContent === 'Evaluate')!.click());
    for (let i = 0; i < 500 && !container.querySelector('[data-testid="evaluation-table"], [role="alert"]'); i++)
      await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
    expect(container.querySelector('[role="alert"]')).toBeNull();
    const text = container.querySelector('[data-testid="evaluation-stop-share"]')?.textContent ?? '';
    expect(text).toBe('Did the learned STOP stop? Of the routes passing p0, the share that ended before Tmax: greedy 0.67 (N = 1).');
  });

  it('refuses a draw count that is not a whole number, naming the field', async () => {
    let called = false;
    const view = await render(
      async () => {
        called = true;
        throw new Error('not reached');
      },
      { randomSeeds: '0', sampledDraws: '2' },
    );
    expect(called).toBe(false);
    expect(view.querySelector('[role="alert"]')?.textContent).toMatch(/^Random seeds must be a whole number ≥ 1/);
  });
});
