import { describe, expect, it } from 'vitest';
import { parseRunFile } from '../../src/der/runRecordIO';
import { importRunFile, importWeightsFile, metricsCsv, runToJsonl, weightsToJson } from '../../src/runs/runFiles';
import { packWeights } from '../../src/runs/savedRun';
import { serializeWeights } from '../../src/agent/weightsIO';
import { DEFAULT_CONFIG } from '../../src/der/presets';
import type { ExperimentConfig } from '../../src/der/config';
import { meta, report, smallRun, update } from './runFixtures';

describe('run JSONL export', () => {
  it('round-trips through the run file parser with each iteration line after its last episode', () => {
    const { episodes, iterations } = smallRun();
    const text = runToJsonl(meta(), episodes, iterations);
    const types = text.trim().split('\n').map((l) => `${JSON.parse(l).type}:${JSON.parse(l).iteration ?? ''}`);
    expect(types).toEqual(['run:', 'episode:0', 'episode:0', 'iteration:0', 'episode:1', 'episode:1', 'iteration:1', 'episode:2']);
    const parsed = parseRunFile(text);
    expect(parsed.episodes.map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    expect(parsed.iterations).toEqual(iterations);
    expect(parsed.iterations[1].update?.policyLoss).toBe(-0.02);
    expect(Number.isNaN(parsed.iterations[0].summary.successRate)).toBe(true);
  });

  it('never contains API keys, auth headers or credential-looking values', () => {
    const config = {
      ...DEFAULT_CONFIG,
      pool: {
        kind: 'custom',
        experts: [
          { name: 'gpt', kind: 'openai', sizeB: 8, model: 'm', baseURL: 'https://api.example.com/v1', apiKey: 'sk-live-field-0123456789', headers: { Authorization: 'Bearer sk-auth-0123456789', 'X-Org': 'sk-value-0123456789', 'X-Plain': 'keep-me' } },
        ],
      },
    } as unknown as ExperimentConfig;
    const m = meta({}, config);
    (m.header as unknown as Record<string, unknown>).openaiApiKey = 'sk-top-0123456789';
    const text = runToJsonl(m, smallRun().episodes, []);
    expect(text).not.toMatch(/sk-(live|auth|value|top)/);
    expect(text).not.toMatch(/Bearer/);
    expect(text).toContain('keep-me');
    expect(text).toContain('api.example.com');
  });
});

describe('metrics CSV', () => {
  it('has one row per iteration, every metric as a column, NaN as an empty cell', () => {
    const iterations = [report(1, 0.75, update(4, -0.02)), report(0, 0.25, null)];
    const lines = metricsCsv(iterations).trim().split('\n');
    expect(lines).toHaveLength(3);
    const head = lines[0].split(',');
    expect(head[0]).toBe('iteration');
    expect(head).toContain('meanReturn');
    expect(head).toContain('ppo_policyLoss');
    const row = (i: number) => Object.fromEntries(head.map((h, k) => [h, lines[i].split(',')[k]]));
    expect(row(1)).toMatchObject({ iteration: '0', meanReturn: '0.25', ppo_policyLoss: '', successRate: '' });
    expect(row(2)).toMatchObject({ iteration: '1', meanReturn: '0.75', ppo_policyLoss: '-0.02', ppo_skipped: '1' });
  });
});

describe('run import', () => {
  it('makes a new run (fresh id) with the same episodes and the iteration reports restored', () => {
    const { episodes, iterations } = smallRun();
    const text = runToJsonl(meta(), episodes, iterations);
    const a = importRunFile(text, 'a.jsonl');
    const b = importRunFile(text, 'a.jsonl');
    expect(a.meta.id).not.toBe(b.meta.id);
    expect(a.meta.source).toBe('imported');
    expect(a.episodes).toHaveLength(5);
    expect(a.episodes.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(a.meta.iterationCount).toBe(2);
    expect(a.meta.lastMeanReturn).toBe(0.75);
    expect(a.meta.optimizerSteps).toBe(8);
    const upd = a.iterations[1].report.update!;
    expect(upd.policyLoss).toBe(-0.02);
    expect(upd.skipped).toBe(true);
    expect(upd.stoppedEarly).toBe(false);
    expect(a.iterations[1].report.summary.meanReturn).toBe(0.75);
    expect(a.iterations[1].report.episodes).toBe(2);
  });

  it('rejects a corrupt file naming the line', () => {
    const lines = runToJsonl(meta(), smallRun().episodes, []).trim().split('\n');
    lines[2] = lines[2].slice(0, 40);
    expect(() => importRunFile(lines.join('\n'), 'broken.jsonl')).toThrow(/broken\.jsonl, run file line 3.*not valid JSON/);
    const badField = runToJsonl(meta(), smallRun().episodes, []).trim().split('\n');
    const ep = JSON.parse(badField[4]);
    ep.route_length = -1;
    badField[4] = JSON.stringify(ep);
    expect(() => importRunFile(badField.join('\n'), 'f.jsonl')).toThrow(/line 5, field route_length/);
  });
});

describe('weights files', () => {
  const entries = [
    { name: 'actor/dense0/kernel', shape: [2, 2], data: [0.5, -0.25, 1, 2] },
    { name: 'critic/dense0/bias', shape: [2], data: [0.125, 3] },
  ];

  it('export then import gives the same tensors', () => {
    const m = meta({ hasWeights: true, iterationCount: 3 });
    const stored = { runId: m.id, savedAt: 'x', iterations: 3, optimizerSteps: 12, meta: { numActions: 2, hiddenSizes: DEFAULT_CONFIG.ppo.hiddenSizes }, entries: packWeights(entries) };
    const back = importWeightsFile(weightsToJson(stored, m), 'w.json', meta({ id: 'other' }));
    expect(back.runId).toBe('other');
    expect(back.iterations).toBe(3);
    expect(back.optimizerSteps).toBe(12);
    expect(back.entries.map((e) => [e.name, e.shape, Array.from(e.data)])).toEqual(entries.map((e) => [e.name, e.shape, e.data]));
  });

  it('rejects a malformed file and a network of another shape', () => {
    expect(() => importWeightsFile('{"format":"der-workbench-weights",', 'w.json', meta())).toThrow(/w\.json.*not valid JSON/);
    const bad = JSON.stringify({ format: 'der-workbench-weights', version: 1, meta: {}, weights: [{ name: 'x', shape: [3], data: [1, 2] }] });
    expect(() => importWeightsFile(bad, 'w.json', meta())).toThrow(/"x" is malformed/);
    expect(() => importWeightsFile(serializeWeights(entries, { numActions: 5 }), 'w.json', meta())).toThrow(/5 actions.*has 2/);
    expect(() => importWeightsFile(serializeWeights(entries, { hiddenSizes: [8] }), 'w.json', meta())).toThrow(/hidden sizes \[8\]/);
  });
});
