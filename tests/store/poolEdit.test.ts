import { describe, expect, it } from 'vitest';
import type { ExpertSpec } from '../../src/der/config';
import { parsePoolFile } from '../../src/experts/poolFile';
import { EXPERT_KINDS, moveItem, newExpert, poolFileText, removeItem, simulatedExpertSpecs, validatePool } from '../../src/store/poolEdit';

const pool: ExpertSpec[] = [
  {
    name: 'local',
    kind: 'openai',
    sizeB: 8,
    model: 'llama3.1:8b',
    baseURL: 'http://localhost:11434/v1',
    apiKeyEnv: 'OLLAMA_KEY',
    headers: { 'X-Title': 'DER' },
  },
  { name: 'tiny', kind: 'browser', sizeB: 0.08, model: 'Xenova/distilgpt2' },
  { name: 'koala', kind: 'recorded', sizeB: 7, candidate: 'koala-7B' },
  { name: 'sim', kind: 'simulated', sizeB: 13 },
];

describe('pool editing and pool files', () => {
  it('saves a pool file that loads back to the same experts', () => {
    expect(parsePoolFile(poolFileText(pool), 'saved.json')).toEqual(pool);
  });

  it('never writes a key into the file, even one smuggled into a spec', () => {
    const smuggled = [{ ...pool[0], apiKey: 'sk-do-not-save-0000', headers: { Authorization: 'Bearer sk-nope-0000000' } } as ExpertSpec, pool[1]];
    const text = poolFileText(smuggled);
    expect(text).not.toContain('sk-do-not-save');
    expect(text).not.toContain('sk-nope');
    expect(parsePoolFile(text)[0].name).toBe('local');
  });

  it('refuses a pool file with a key, naming the expert', () => {
    const text = JSON.stringify({ experts: [{ ...pool[0], apiKey: 'sk-x' }] });
    expect(() => parsePoolFile(text, 'p.json')).toThrow(/experts\[0\] \("local"\)\.apiKey: API keys are not allowed/);
  });

  it('adds a valid expert of every kind with a fresh name', () => {
    let list = [...pool];
    for (const kind of EXPERT_KINDS) {
      list = [...list, newExpert(kind, list)];
      const checked = validatePool(list);
      expect(checked.ok, checked.ok ? '' : checked.issues.join('\n')).toBe(true);
    }
    expect(new Set(list.map((e) => e.name)).size).toBe(list.length);
  });

  it('reports what each kind lacks, naming the expert', () => {
    const broken: ExpertSpec[] = [
      { name: 'remote', kind: 'openai', sizeB: 70, model: '' },
      { name: 'remote', kind: 'simulated', sizeB: 1 },
    ];
    const checked = validatePool(broken);
    expect(checked.ok).toBe(false);
    const issues = checked.ok ? [] : checked.issues.join('\n');
    expect(issues).toContain('experts[0] ("remote").model: an openai expert needs "model"');
    expect(issues).toContain('baseURL');
    expect(issues).toContain('the name "remote" is used 2 times');
  });

  it('reorders and removes', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(removeItem(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
  });

  it('lists the simulated experts with their sizes', () => {
    const sims = simulatedExpertSpecs();
    expect(sims.length).toBeGreaterThan(1);
    expect(sims.every((e) => e.kind === 'simulated' && e.sizeB > 0)).toBe(true);
    expect(validatePool(sims).ok).toBe(true);
  });
});
