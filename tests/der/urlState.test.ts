import { describe, expect, it } from 'vitest';
import { parseConfig, type ExperimentConfig } from '../../src/der/config';
import { DEFAULT_CONFIG, presetConfig } from '../../src/der/presets';
import { backendFromQuery, decodeHash, encodeHash, fromBase64Url, queryWithBackend, stripSecretsForUrl, toBase64Url } from '../../src/der/urlState';

function customConfig(): ExperimentConfig {
  const c = presetConfig('reference');
  return parseConfig({
    ...c,
    preset: 'custom',
    seed: 1234567,
    reward: { alpha: 0.0035, beta: 7.5, gamma: 1.25, p0: 0.81, tmax: 7 },
    ppo: { ...c.ppo, discount: 0.99, clipRange: 0.15, actorLr: 2.5e-4, criticLr: 7e-6, annealLr: true, hiddenSizes: [128, 64, 32], activation: 'relu' },
    ktp: { template: 'custom', custom: 'Frage: {question}\nVorherige Antwort — «{previous}» ✓' },
    stopRule: 'learned',
    pool: {
      kind: 'custom',
      experts: [
        { name: 'local', kind: 'openai', sizeB: 8, model: 'llama3.1:8b', baseURL: 'http://localhost:11434/v1', apiKeyEnv: 'OLLAMA_KEY' },
        { name: 'tiny', kind: 'browser', sizeB: 0.08, model: 'Xenova/distilgpt2' },
        { name: 'koala', kind: 'recorded', sizeB: 7, candidate: 'koala-7B' },
      ],
    },
    dataset: { source: 'gsm8k-test.jsonl', testFraction: 0.35, splitSeed: -3 },
    scorer: 'bertscore:Xenova/bert-base-multilingual-cased@9',
    encoder: 'minilm:Xenova/all-MiniLM-L6-v2',
    iterations: 3,
  });
}

describe('URL hash state', () => {
  it('round-trips both presets and a fully customised config exactly', () => {
    for (const config of [presetConfig('reference'), presetConfig('tuned'), customConfig()]) {
      const decoded = decodeHash(`#${encodeHash(config)}`, DEFAULT_CONFIG);
      expect(decoded.kind).toBe('ok');
      if (decoded.kind === 'ok') expect(decoded.config).toEqual(config);
    }
  });

  it('uses only URL-safe characters (no +, / or = that links mangle)', () => {
    const hash = encodeHash(customConfig(), ['alpha']);
    expect(hash).toMatch(/^c=[A-Za-z0-9_-]+&hide=alpha$/);
  });

  it('strips API keys, secret headers and key-looking values, keeping apiKeyEnv', () => {
    const config = customConfig() as ExperimentConfig & { pool: { experts: Record<string, unknown>[] } };
    const experts = config.pool.experts;
    experts[0] = { ...experts[0], apiKey: 'sk-live-SECRET-123456', headers: { Authorization: 'Bearer SECRET-TOKEN', 'X-Title': 'DER' } };
    experts[1] = { ...experts[1], headers: { 'X-Custom': 'Bearer ANOTHER-SECRET' } };
    const hash = encodeHash(config as ExperimentConfig);
    const json = fromBase64Url(new URLSearchParams(hash).get('c')!);
    expect(json).not.toContain('SECRET');
    expect(json).not.toContain('apiKey"');
    expect(json).toContain('"apiKeyEnv":"OLLAMA_KEY"');
    expect(json).toContain('"X-Title":"DER"');
  });

  it('strips a key that a hand-edited link carries', () => {
    const raw = JSON.parse(JSON.stringify(customConfig()));
    raw.pool.experts[0].api_key = 'sk-handwritten-0000000000';
    raw.pool.experts[0].token = 'abc';
    const decoded = decodeHash(`#c=${toBase64Url(JSON.stringify(raw))}`, DEFAULT_CONFIG);
    expect(decoded.kind).toBe('ok');
    expect(JSON.stringify(decoded)).not.toContain('sk-handwritten');
    expect(JSON.stringify(decoded)).not.toContain('"token"');
  });

  it('stripSecretsForUrl leaves ordinary values untouched', () => {
    const value = { a: 1, nested: [{ keyboard: 'x', apiKeyEnv: 'A_B', text: 'skipping sk-' }] };
    expect(stripSecretsForUrl(value)).toEqual(value);
  });

  it('carries the lesson hide list, dropping ids with odd characters', () => {
    const hash = encodeHash(DEFAULT_CONFIG, ['alpha', 'beta', 'pool', 'alpha', 'x<script>']);
    const decoded = decodeHash(hash, DEFAULT_CONFIG);
    expect(decoded.hidden).toEqual(['alpha', 'beta', 'pool']);
    expect(decodeHash('#hide=tmax,ppo', DEFAULT_CONFIG)).toEqual({ kind: 'empty', hidden: ['tmax', 'ppo'] });
  });

  it('applies readable overrides on top of the encoded config or the base', () => {
    const decoded = decodeHash(`#${encodeHash(customConfig())}&alpha=0.02&tmax=3&seed=9`, DEFAULT_CONFIG);
    expect(decoded.kind).toBe('ok');
    if (decoded.kind !== 'ok') return;
    expect(decoded.config.reward).toMatchObject({ alpha: 0.02, tmax: 3, beta: 7.5 });
    expect(decoded.config.seed).toBe(9);
    const onBase = decodeHash('#p0=0.5', DEFAULT_CONFIG);
    expect(onBase.kind === 'ok' && onBase.config.reward.p0).toBe(0.5);
    expect(onBase.kind === 'ok' && onBase.config.ppo).toEqual(DEFAULT_CONFIG.ppo);
  });

  it('reports why a broken link cannot be used, naming the field', () => {
    const bad = decodeHash('#tmax=0', DEFAULT_CONFIG);
    expect(bad.kind).toBe('invalid');
    expect(bad.kind === 'invalid' && bad.errors.join('\n')).toContain('Tmax must be ≥ 1');
    const notNumber = decodeHash('#alpha=lots', DEFAULT_CONFIG);
    expect(notNumber.kind === 'invalid' && notNumber.errors[0]).toContain('alpha: "lots" is not a number');
    const cut = encodeHash(customConfig()).slice(0, 60);
    const truncated = decodeHash(`#${cut}`, DEFAULT_CONFIG);
    expect(truncated.kind).toBe('invalid');
    expect(truncated.kind === 'invalid' && truncated.errors[0]).toMatch(/could not be read|not an experiment config/);
  });

  it('reads and writes ?backend= without touching other parameters', () => {
    expect(backendFromQuery('?backend=wasm')).toBe('wasm');
    expect(backendFromQuery('?backend=quantum')).toBeNull();
    expect(backendFromQuery('')).toBeNull();
    expect(queryWithBackend('?x=1', 'webgl')).toBe('?x=1&backend=webgl');
    expect(queryWithBackend('?backend=webgl&x=1', 'auto')).toBe('?x=1');
    expect(queryWithBackend('?backend=cpu', 'auto')).toBe('');
  });
});

describe('configs saved with fields that no longer exist', () => {
  it('still parse: the old ppo.referenceQuirks switch is dropped', () => {
    const old = { ...DEFAULT_CONFIG, ppo: { ...DEFAULT_CONFIG.ppo, referenceQuirks: true } };
    const parsed = parseConfig(old);
    expect(parsed.ppo).toEqual(DEFAULT_CONFIG.ppo);
    expect('referenceQuirks' in parsed.ppo).toBe(false);
    expect(decodeHash(`#${encodeHash(old as ExperimentConfig, [])}`, DEFAULT_CONFIG)).toMatchObject({ kind: 'ok', config: { ppo: DEFAULT_CONFIG.ppo } });
  });
});
