// @vitest-environment node
// The tiny GPT-2 fixture (public/models/tiny-gpt2) generates with Transformers.js: its ONNX graph has
// the KV-cache inputs/outputs that Transformers.js feeds from the second token on.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoModelForCausalLM, AutoTokenizer, env, pipeline, type TextGenerationPipeline } from '@huggingface/transformers';

const MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));

describe('tiny GPT-2 with Transformers.js', () => {
  let generator: TextGenerationPipeline;
  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = MODELS;
    // pipeline()'s overloads are too large for tsc to resolve here (TS2590); call it through a narrow type.
    const makePipeline = pipeline as unknown as (task: string, model: string, options: object) => Promise<TextGenerationPipeline>;
    generator = await makePipeline('text-generation', 'tiny-gpt2', { dtype: 'fp32' });
  });

  it('declares the KV cache in its graph', () => {
    const session = (generator.model as unknown as { sessions: Record<string, { inputNames: string[]; outputNames: string[] }> }).sessions.model;
    expect(session.inputNames).toEqual(
      expect.arrayContaining(['input_ids', 'attention_mask', 'position_ids', 'past_key_values.0.key', 'past_key_values.1.value']),
    );
    expect(session.outputNames).toEqual(expect.arrayContaining(['logits', 'present.0.key', 'present.1.value']));
  });

  it('generates 12 new tokens greedily, deterministically', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained('tiny-gpt2');
    const model = await AutoModelForCausalLM.from_pretrained('tiny-gpt2', { dtype: 'fp32' });
    const inputs = tokenizer('The answer is');
    const promptLength = inputs.input_ids.dims[1];
    const a = (await model.generate({ ...inputs, max_new_tokens: 12, do_sample: false })) as { dims: number[]; tolist(): bigint[][] };
    const b = (await model.generate({ ...inputs, max_new_tokens: 12, do_sample: false })) as { dims: number[]; tolist(): bigint[][] };
    expect(a.dims).toEqual([1, promptLength + 12]);
    expect(a.tolist()).toEqual(b.tolist());
    await model.dispose();
  });

  it('runs a chat through the chat template and returns an assistant message', async () => {
    const out = (await generator([{ role: 'user', content: 'How many eggs?' }], { max_new_tokens: 10, do_sample: false })) as unknown as {
      generated_text: { role: string; content: string }[];
    }[];
    const messages = out[0].generated_text;
    expect(messages.at(-1)!.role).toBe('assistant');
    expect(messages.at(-1)!.content.length).toBeGreaterThan(0);
    const prompt = generator.tokenizer.apply_chat_template([{ role: 'user', content: 'Hi' }], { tokenize: false, add_generation_prompt: true });
    expect(prompt).toBe('<|user|>\nHi<|end|>\n<|assistant|>\n');
  });

  it('batches two prompts of different lengths (left padding, attention mask)', async () => {
    const out = (await generator(['Hello', 'The answer to the question is'], { max_new_tokens: 10, do_sample: false })) as unknown as {
      generated_text: string;
    }[][];
    expect(out).toHaveLength(2);
    expect(out[0][0].generated_text.startsWith('Hello')).toBe(true);
    expect(out[1][0].generated_text.length).toBeGreaterThan('The answer to the question is'.length);
    // Padding must not leak into the shorter prompt: the batch equals one prompt at a time.
    const alone = (await generator('Hello', { max_new_tokens: 10, do_sample: false })) as unknown as { generated_text: string }[];
    expect(out[0][0].generated_text).toBe(alone[0].generated_text);
  });
});
