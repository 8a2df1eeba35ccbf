// createExpertPool: recorded experts answer from stored candidates, other kinds are delegated to
// factories, and the pool's flags follow its members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpertSpec } from '../../src/der/config';
import type { Question } from '../../src/der/types';
import { createExpertPool, expertFromPool, RecordedAnswerMissingError, type ExpertFactory } from '../../src/experts/pool';
import { deterministicAnswer, startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';
import { errorMessage } from '../../src/der/errorMessage';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAITestServer();
});
afterAll(async () => {
  await server.close();
});

const question: Question = {
  id: 'mix-7',
  instruction: 'Give a synonym of happy.',
  input: '',
  candidates: [
    { model: 'koala-7B', text: 'glad' },
    { model: 'vicuna-13b-1.1', text: 'joyful' },
  ],
};
const request = (prompt = 'Give a synonym of happy.') => ({ prompt, question, previous: null, t: 0 });

const echoFactory: ExpertFactory = (spec, index) => ({
  info: { name: spec.name, sizeB: spec.sizeB, kind: spec.kind },
  async call(req) {
    return { answer: `${spec.kind}:${index}:${req.prompt}` };
  },
});

describe('createExpertPool', () => {
  it('recorded experts answer with the candidate named by `candidate`, else by `model`; no knowledge transfer', async () => {
    const pool = createExpertPool([
      { name: 'koala', kind: 'recorded', sizeB: 7, candidate: 'koala-7B' },
      { name: 'vicuna', kind: 'recorded', sizeB: 13, model: 'vicuna-13b-1.1' },
    ]);
    expect((await pool.call(0, request())).answer).toBe('glad');
    expect((await pool.call(1, request())).answer).toBe('joyful');
    expect(pool.knowledgeTransfer).toBe(false);
    expect(pool.simulated).toBe(false);
    expect(pool.experts.map((e) => [e.name, e.sizeB, e.kind])).toEqual([
      ['koala', 7, 'recorded'],
      ['vicuna', 13, 'recorded'],
    ]);
  });

  it('a missing candidate names the question, the model and what is there', async () => {
    const pool = createExpertPool([{ name: 'dolly', kind: 'recorded', sizeB: 12, candidate: 'dolly-v2-12b' }]);
    const error = await pool.call(0, request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordedAnswerMissingError);
    expect(errorMessage(error)).toMatch(/"mix-7".*"dolly-v2-12b".*koala-7B, vicuna-13b-1.1/);
  });

  it('mixes openai experts with delegated simulated and browser experts in index order', async () => {
    const specs: ExpertSpec[] = [
      { name: 'sim', kind: 'simulated', sizeB: 1 },
      { name: 'remote', kind: 'openai', sizeB: 7, model: 'test-small', baseURL: server.url },
      { name: 'tiny', kind: 'browser', sizeB: 0.1, model: 'tiny-gpt2' },
    ];
    const pool = createExpertPool(specs, { factories: { simulated: echoFactory, browser: echoFactory } });
    expect(pool.knowledgeTransfer).toBe(true);
    expect(pool.simulated).toBe(false);
    expect((await pool.call(0, request('a'))).answer).toBe('simulated:0:a');
    expect((await pool.call(1, request('b'))).answer).toBe(deterministicAnswer('test-small', 'b'));
    expect((await pool.call(2, request('c'))).answer).toBe('browser:2:c');
    expect(pool.counters.calls).toBe(3);
  });

  it('an all-simulated pool is labelled simulated', () => {
    const pool = createExpertPool([{ name: 'a', kind: 'simulated', sizeB: 1 }], { factories: { simulated: echoFactory } });
    expect(pool.simulated).toBe(true);
  });

  it('explains a missing factory, a missing model/baseURL and a bad index', async () => {
    expect(() => createExpertPool([{ name: 'b', kind: 'browser', sizeB: 1, model: 'x' }])).toThrow(/no browser expert factory/);
    expect(() => createExpertPool([{ name: 'o', kind: 'openai', sizeB: 1, model: 'x' }])).toThrow(/needs both "model" and "baseURL"/);
    const pool = createExpertPool([{ name: 'a', kind: 'simulated', sizeB: 1 }], { factories: { simulated: echoFactory } });
    await expect(pool.call(3, request())).rejects.toThrow(/No expert at index 3: the pool has 1 experts/);
  });

  it('passes API keys by expert name and never puts them in errors', async () => {
    const locked = await startOpenAITestServer({ apiKey: 'sk-right' });
    try {
      const specs: ExpertSpec[] = [
        { name: 'good', kind: 'openai', sizeB: 7, model: 'm', baseURL: locked.url },
        { name: 'bad', kind: 'openai', sizeB: 7, model: 'm', baseURL: locked.url },
      ];
      const pool = createExpertPool(specs, { apiKeys: { good: 'sk-right', bad: 'sk-wrong' }, limits: { maxRetries: 0 } });
      expect((await pool.call(0, request('k'))).answer).toBe(deterministicAnswer('m', 'k'));
      const error = (await pool.call(1, request('k')).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/rejected the API key/);
      expect(error.message).not.toContain('sk-wrong');
    } finally {
      await locked.close();
    }
  });
});

describe('expertFromPool', () => {
  it('wraps one member of an existing pool so a factory can reuse it', async () => {
    const inner = createExpertPool(
      [
        { name: 'x', kind: 'recorded', sizeB: 7, candidate: 'koala-7B' },
        { name: 'y', kind: 'recorded', sizeB: 13, candidate: 'vicuna-13b-1.1' },
      ],
      {},
    );
    const factory: ExpertFactory = (_spec, index) => expertFromPool(inner, index);
    const outer = createExpertPool(
      [
        { name: 'a', kind: 'simulated', sizeB: 7 },
        { name: 'b', kind: 'simulated', sizeB: 13 },
      ],
      { factories: { simulated: factory } },
    );
    expect((await outer.call(1, request())).answer).toBe('joyful');
    expect(outer.experts[1].name).toBe('y');
  });
});
