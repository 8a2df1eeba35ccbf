// @vitest-environment node
// The in-page expert on the tiny GPT-2 fixture (public/models/tiny-gpt2), through the real
// Transformers.js loading and generation path: chat template, token limits, determinism, sharing.
import { fileURLToPath } from 'node:url';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { createBrowserExpertFactory, type ModelLoadProgress } from '../../src/experts/browserExpert';
import type { ExpertSpec } from '../../src/der/config';
import type { ExpertRequest } from '../../src/der/types';

const MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));

function request(prompt: string): ExpertRequest {
  return { prompt, question: { id: 'q1', instruction: prompt, input: '' }, previous: null, t: 0 };
}

const spec = (over: Partial<ExpertSpec> = {}): ExpertSpec => ({
  name: 'tiny',
  kind: 'browser',
  sizeB: 0.001,
  model: 'tiny-gpt2',
  dtype: 'fp32',
  maxTokens: 8,
  ...over,
});

describe('browser expert (Transformers.js text-generation) on tiny GPT-2', () => {
  const progress: ModelLoadProgress[] = [];
  const factory = createBrowserExpertFactory({ onProgress: (p) => progress.push(p) });
  let tokenizer: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = MODELS;
    tokenizer = await AutoTokenizer.from_pretrained('tiny-gpt2');
  });
  afterAll(() => factory.dispose());

  it('answers with text, applies the chat template and reports usage within maxTokens', async () => {
    const expert = factory(spec(), 0);
    expect(expert.info).toEqual({ name: 'tiny', sizeB: 0.001, kind: 'browser' });
    const reply = await expert.call(request('How many eggs?'));
    expect(typeof reply.answer).toBe('string');
    expect(reply.answer.length).toBeGreaterThan(0);
    expect(reply.costUSD).toBe(0);
    // The prompt the model saw is the chat template around the user message, not the raw prompt.
    const templated = tokenizer.apply_chat_template([{ role: 'user', content: 'How many eggs?' }], {
      add_generation_prompt: true,
      tokenize: true,
      return_tensor: false,
    }) as number[];
    const raw = tokenizer.encode('How many eggs?');
    expect(reply.usage!.promptTokens).toBe(templated.length);
    expect(reply.usage!.promptTokens).toBeGreaterThan(raw.length);
    expect(reply.usage!.completionTokens).toBeGreaterThan(0);
    expect(reply.usage!.completionTokens).toBeLessThanOrEqual(8);
    // Download/load progress came through while the model loaded.
    expect(progress.some((p) => p.model === 'tiny-gpt2' && p.status === 'done')).toBe(true);
  });

  it('respects a smaller maxTokens and is deterministic at temperature 0', async () => {
    const short = factory(spec({ name: 'short', maxTokens: 3 }), 1);
    const a = await short.call(request('The answer is'));
    const b = await short.call(request('The answer is'));
    expect(a.usage!.completionTokens).toBeLessThanOrEqual(3);
    expect(a.answer).toBe(b.answer);
    // A longer budget starts with the same greedy tokens.
    const long = await factory(spec({ name: 'long', maxTokens: 8 }), 2).call(request('The answer is'));
    expect(long.usage!.completionTokens).toBeGreaterThanOrEqual(a.usage!.completionTokens);
  });

  it('shares one loaded model between experts and runs parallel calls one at a time', async () => {
    const experts = [factory(spec({ name: 'x' }), 0), factory(spec({ name: 'y' }), 1)];
    const prompts = ['one', 'two', 'three', 'four'];
    const parallel = await Promise.all(prompts.map((p, i) => experts[i % 2].call(request(p))));
    const serial = [];
    for (const p of prompts) serial.push(await experts[0].call(request(p)));
    expect(parallel.map((r) => r.answer)).toEqual(serial.map((r) => r.answer));
    expect(factory.loadedModels()).toEqual(['tiny-gpt2|fp32|default']);
  });

  it('cuts an over-long prompt from the left to fit the 256-position context', async () => {
    const reply = await factory(spec({ name: 'long-prompt', maxTokens: 8 }), 0).call(request('word '.repeat(400)));
    expect(reply.usage!.promptTokens + reply.usage!.completionTokens).toBeLessThanOrEqual(256);
    expect(reply.answer.length).toBeGreaterThan(0);
  });

  it('feeds a base model without a chat template the plain prompt', async () => {
    // A copy of the fixture whose tokenizer_config.json has no chat_template.
    const dir = mkdtempSync(join(tmpdir(), 'der-base-lm-'));
    const model = join(dir, 'base-gpt2');
    cpSync(join(MODELS, 'tiny-gpt2'), model, { recursive: true });
    const tokenizerConfig = JSON.parse(readFileSync(join(model, 'tokenizer_config.json'), 'utf8'));
    delete tokenizerConfig.chat_template;
    writeFileSync(join(model, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
    env.localModelPath = dir + '/';
    try {
      const reply = await factory(spec({ name: 'base', model: 'base-gpt2' }), 0).call(request('How many eggs?'));
      expect(reply.usage!.promptTokens).toBe(tokenizer.encode('How many eggs?').length);
      expect(reply.answer.length).toBeGreaterThan(0);
    } finally {
      env.localModelPath = MODELS;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the model and what to check when it cannot be loaded', async () => {
    const missing = factory(spec({ name: 'missing', model: 'no-such-model' }), 0);
    await expect(missing.call(request('hi'))).rejects.toThrow(/Could not load the in-browser model "no-such-model".*dtype/);
  });

  it('refuses a spec without a model', () => {
    expect(() => factory(spec({ model: undefined }), 0)).toThrow(/needs "model"/);
  });
});
