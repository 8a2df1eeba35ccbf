// Pool files: zod validation with errors naming the expert and the field; API keys refused.
import { describe, expect, it } from 'vitest';
import { apiKeysFromEnv } from '../../src/experts/apiKeysFromEnv';
import { parsePoolFile, PoolFileError } from '../../src/experts/poolFile';
import { errorMessage } from '../../src/der/errorMessage';

function issuesOf(value: unknown): string[] {
  try {
    parsePoolFile(typeof value === 'string' ? value : JSON.stringify(value), 'pool.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PoolFileError);
    expect(errorMessage(error)).toContain('pool.json');
    return (error as PoolFileError).issues;
  }
  throw new Error('expected the pool file to be rejected');
}

describe('parsePoolFile', () => {
  it('accepts a valid pool of several kinds', () => {
    const specs = parsePoolFile(
      JSON.stringify({
        name: 'mixed',
        experts: [
          { name: 'llama', kind: 'openai', model: 'llama3.2:1b', baseURL: 'http://localhost:11434/v1', sizeB: 1.2, maxTokens: 256, apiKeyEnv: 'OLLAMA_KEY' },
          { name: 'koala', kind: 'recorded', candidate: 'koala-7B', sizeB: 7 },
          { name: 'sim', kind: 'simulated', sizeB: 3 },
        ],
      }),
    );
    expect(specs.map((s) => s.name)).toEqual(['llama', 'koala', 'sim']);
    expect(specs[0].apiKeyEnv).toBe('OLLAMA_KEY');
  });

  it('refuses API keys in the file, naming the expert and pointing to the UI or environment', () => {
    const issues = issuesOf({
      experts: [{ name: 'gpt', kind: 'openai', model: 'gpt-4o-mini', baseURL: 'https://api.openai.com/v1', sizeB: 8, apiKey: 'sk-abc' }],
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^experts\[0\] \("gpt"\)\.apiKey: API keys are not allowed.*UI or the environment/);
    expect(issues[0]).not.toContain('sk-abc');
    const headerIssues = issuesOf({
      experts: [{ name: 'g', kind: 'openai', model: 'm', baseURL: 'https://x/v1', sizeB: 1, headers: { Authorization: 'Bearer x' } }],
    });
    expect(headerIssues[0]).toMatch(/experts\[0\] \("g"\)\.headers\.Authorization: credentials are not allowed/);
  });

  it('names the index and field of every bad value', () => {
    const issues = issuesOf({
      experts: [
        { name: 'ok', kind: 'simulated', sizeB: 1 },
        { name: 'neg', kind: 'simulated', sizeB: -3 },
        { name: 'nourl', kind: 'openai', model: 'm', sizeB: 1 },
        { name: 'badurl', kind: 'openai', model: 'm', baseURL: 'localhost:8000', sizeB: 1 },
        { name: 'typo', kind: 'openai', model: 'm', baseUrl: 'http://x/v1', sizeB: 1 },
        { kind: 'magic', sizeB: 1 },
        { name: 'rec', kind: 'recorded', sizeB: 1 },
      ],
    });
    expect(issues.find((i) => i.startsWith('experts[1] ("neg").sizeB'))).toMatch(/must be > 0/);
    expect(issues.find((i) => i.startsWith('experts[2] ("nourl").baseURL'))).toMatch(/needs "baseURL"/);
    expect(issues.find((i) => i.startsWith('experts[3] ("badurl").baseURL'))).toMatch(/neither an http\(s\) URL nor a same-origin proxy path/);
    expect(issues.some((i) => i.startsWith('experts[4] ("typo")') && i.includes('baseUrl'))).toBe(true);
    expect(issues.some((i) => i.startsWith('experts[5].name'))).toBe(true);
    expect(issues.some((i) => i.startsWith('experts[5].kind'))).toBe(true);
    expect(issues.find((i) => i.startsWith('experts[6] ("rec").candidate'))).toMatch(/needs "candidate"/);
    expect(issues.some((i) => i.startsWith('experts[0]'))).toBe(false);
  });

  it("refuses a pool of one expert in the user's terms, after any other problem of that expert", () => {
    const one = issuesOf({ experts: [{ name: 'only', kind: 'simulated', sizeB: 7 }] });
    expect(one).toEqual([
      'experts: a pool needs at least two experts: the agent learns which expert to ask, so with one there is nothing to choose. Add a second expert.',
    ]);
    expect(issuesOf({ experts: [{ name: 'only', kind: 'simulated', sizeB: -1 }] })[0]).toMatch(/sizeB/);
    expect(
      parsePoolFile(
        JSON.stringify({
          experts: [
            { name: 'a', kind: 'simulated', sizeB: 7 },
            { name: 'b', kind: 'simulated', sizeB: 13 },
          ],
        }),
      ),
    ).toHaveLength(2);
  });

  it('rejects duplicate names, an empty pool, a missing experts array and invalid JSON', () => {
    expect(
      issuesOf({
        experts: [
          { name: 'a', kind: 'simulated', sizeB: 1 },
          { name: 'a', kind: 'simulated', sizeB: 2 },
        ],
      })[0],
    ).toMatch(/"a" is used 2 times/);
    expect(issuesOf({ experts: [] })[0]).toMatch(/experts: a pool needs at least one expert/);
    expect(issuesOf({ pool: [] }).join(' ')).toMatch(/experts/);
    expect(issuesOf('{"experts": [')[0]).toMatch(/not valid JSON/);
  });
});

describe('apiKeysFromEnv', () => {
  const specs = parsePoolFile(
    JSON.stringify({
      experts: [
        { name: 'gpt', kind: 'openai', model: 'gpt-4o-mini', baseURL: 'https://api.openai.com/v1/', sizeB: 8 },
        { name: 'router', kind: 'openai', model: 'x', baseURL: 'https://openrouter.ai/api/v1', sizeB: 8 },
        { name: 'custom', kind: 'openai', model: 'x', baseURL: 'https://gw.example/v1', sizeB: 8, apiKeyEnv: 'GW_KEY' },
        { name: 'unknown', kind: 'openai', model: 'x', baseURL: 'http://10.0.0.5:8080/v1', sizeB: 8 },
        { name: 'ollama', kind: 'openai', model: 'x', baseURL: 'http://localhost:11434/v1', sizeB: 8 },
      ],
    }),
  );

  it('reads each expert’s key from its apiKeyEnv or its provider’s variable, never OPENAI_API_KEY for another server', () => {
    const env = { OPENAI_API_KEY: 'sk-openai', GW_KEY: 'gw-secret' };
    const { apiKeys, apiKeySources, missing } = apiKeysFromEnv(specs, env);
    expect(apiKeys).toEqual({ gpt: 'sk-openai', custom: 'gw-secret' });
    expect(apiKeySources.router).toMatch(/OPENROUTER_API_KEY/);
    expect(missing).toEqual([{ expert: 'router', variable: 'OPENROUTER_API_KEY' }]);
    expect(apiKeys.unknown).toBeUndefined();
    expect(apiKeys.ollama).toBeUndefined();
  });
});
