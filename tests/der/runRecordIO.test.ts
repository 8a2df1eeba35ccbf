import { describe, expect, it } from 'vitest';
import { runBaseline } from '../../src/der/baselines';
import { runEpisodes } from '../../src/der/episodes';
import { presetConfig } from '../../src/der/presets';
import { iterationLine, type RunHeader, type RunLine } from '../../src/der/runRecord';
import { summarizeEpisodes } from '../../src/der/metrics';
import { parseRunFile, RunFileError, toJsonl } from '../../src/der/runRecordIO';
import { EXPERTS, fakeEncoder, fakePool, fakeScorer, question, scriptedPolicy } from './fakes';
import { errorMessage } from '../../src/der/errorMessage';

function header(): RunHeader {
  const config = presetConfig('reference');
  return {
    type: 'run',
    config,
    seed: config.seed,
    created: '2026-01-01T00:00:00.000Z',
    versions: { core: '0.1.0' },
    experts: EXPERTS.map(({ name, sizeB, kind }) => ({ name, sizeB, kind })),
    simulated: true,
    knowledgeTransfer: true,
  };
}

async function sampleLines(): Promise<RunLine[]> {
  const config = presetConfig('reference');
  const options = { reward: config.reward, ktp: config.ktp, iteration: 0 };
  const pool = fakePool(
    (_id, e, t) => 0.55 + 0.1 * e + 0.01 * t,
    (id, t) => id === 'b' && t === 1,
  );
  const agent = await runEpisodes(
    [question('a'), question('b')],
    { pool, scorer: fakeScorer(), encoder: fakeEncoder(), policy: scriptedPolicy({ a: [2], b: [0, 1] }, 3) },
    { ...options, stopRule: 'threshold' },
  );
  // The random baseline has no critic: its values are NaN, written as null.
  const random = await runBaseline(
    { kind: 'random', seed: 1, length: 1 },
    [question('c')],
    { pool, scorer: fakeScorer() },
    { ...options, stopRule: 'threshold', firstIndex: 2 },
  );
  return [
    header(),
    ...agent.episodes,
    ...random.episodes,
    iterationLine({
      iteration: 0,
      episodes: 2,
      summary: { ...summarizeEpisodes(agent.episodes, { expertCount: 3, tmax: 3, p0: 0.73 }), meanReturn: 1.25, successRate: Number.NaN },
      update: null,
    }),
  ];
}

describe('run files (JSON Lines)', () => {
  it('round-trips header, episodes (incl. a failed one and NaN values) and iteration lines', async () => {
    const lines = await sampleLines();
    const text = toJsonl(lines);
    expect(text.split('\n')).toHaveLength(lines.length + 1);
    expect(text.endsWith('\n')).toBe(true);
    const parsed = parseRunFile(text);
    expect(parsed.header).toEqual(lines[0]);
    expect(parsed.episodes).toEqual(lines.slice(1, -1));
    const { type: _type, ...iteration } = lines.at(-1) as ReturnType<typeof iterationLine>;
    expect(parsed.iterations).toEqual([iteration]);
    expect(parsed.episodes[1].failed).toBe(true);
    expect(Number.isNaN(parsed.episodes[2].steps[0].value)).toBe(true);
  });

  it('reads the iteration lines of older run files (flat metrics, PPO metrics prefixed ppo_)', async () => {
    const text =
      toJsonl([header()]) +
      JSON.stringify({
        type: 'iteration',
        iteration: 4,
        metrics: { episodes: 8, meanReturn: 1.25, successRate: null, routeLength_2: 3, deltaP_t1: 0.1, ppo_policyLoss: -0.5, ppo_skipped: 1 },
      }) +
      '\n';
    const [it] = parseRunFile(text).iterations;
    expect(it).toMatchObject({
      iteration: 4,
      episodes: 8,
      summary: { meanReturn: 1.25, routeLengthHistogram: [0, 3] },
      update: { policyLoss: -0.5, skipped: true },
    });
    expect(Number.isNaN(it.summary.successRate)).toBe(true);
    expect(it.summary.deltaByStep.map((d) => d.mean)).toEqual([0.1]);
    expect(() => parseRunFile(toJsonl([header()]) + '{"type":"iteration","iteration":0,"metrics":{"meanReturn":"x"}}\n')).toThrow(
      /line 2, field metrics\.meanReturn/,
    );
  });

  it('names the line and the field of a malformed record', async () => {
    const lines = toJsonl(await sampleLines())
      .trimEnd()
      .split('\n');
    const bad = JSON.parse(lines[2]);
    bad.steps[0].score = 'high';
    lines[2] = JSON.stringify(bad);
    const err = (() => {
      try {
        parseRunFile(lines.join('\n'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RunFileError);
    expect((err as RunFileError).line).toBe(3);
    expect((err as RunFileError).field).toBe('steps.0.score');
    expect(errorMessage(err)).toMatch(/^run file line 3, field steps\.0\.score: /);
  });

  it('rejects broken JSON, unknown line types, a missing header and a bad config, with line numbers', async () => {
    const text = toJsonl(await sampleLines())
      .trimEnd()
      .split('\n');
    expect(() => parseRunFile([text[0], '{"type":"episode",', ...text.slice(1)].join('\n'))).toThrow(/line 2: not valid JSON/);
    expect(() => parseRunFile([text[0], '', '{"type":"metrics"}'].join('\n'))).toThrow(/line 3, field type: expected "episode" or "iteration"/);
    expect(() => parseRunFile(text.slice(1).join('\n'))).toThrow(/line 1, field type: the first line must be the run header/);
    expect(() => parseRunFile('\n\n')).toThrow(/empty/);
    const h = JSON.parse(text[0]);
    h.config.reward.p0 = 2;
    expect(() => parseRunFile([JSON.stringify(h), ...text.slice(1)].join('\n'))).toThrow(/line 1, field config\.reward\.p0: p0 must be ≤ 1/);
  });

  it('never writes API keys or auth headers, even when a config carries one', () => {
    const h = header() as RunHeader & { apiKey?: string };
    h.apiKey = 'sk-should-not-appear-1234567890';
    h.config.pool = {
      kind: 'custom',
      experts: [
        {
          name: 'x',
          kind: 'openai',
          sizeB: 7,
          baseURL: 'https://api.example.com/v1',
          headers: { Authorization: 'Bearer sk-hidden-0987654321', 'X-Title': 'der' },
        },
      ],
    };
    (h.config.pool.experts[0] as Record<string, unknown>).api_key = 'sk-also-hidden';
    const text = toJsonl([h]);
    expect(text).not.toMatch(/sk-/);
    expect(text).toContain('X-Title');
    const parsed = parseRunFile(text);
    expect(parsed.header.config.pool).toMatchObject({ kind: 'custom' });
    // A hand-edited file with a key is read without it.
    const withKey = JSON.stringify({ ...JSON.parse(text), apiKey: 'sk-in-file' });
    expect(JSON.stringify(parseRunFile(withKey).header)).not.toMatch(/sk-/);
  });
});
