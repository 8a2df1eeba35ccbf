// Simulated members of a custom pool answer exactly as the same expert of the built-in pool.
import { describe, expect, it } from 'vitest';
import { createSimulatedExpertFactory } from '../../src/experts/simulatedExpertFactory';
import { createSimulatedPool } from '../../src/experts/simulated/simulatedPool';
import type { ExpertRequest } from '../../src/der/types';

const request: ExpertRequest = {
  prompt: 'What is the capital of France?',
  question: { id: 'q7', instruction: 'What is the capital of France?', input: '', output: 'Paris is the capital of France.' },
  previous: null,
  t: 0,
};

describe('simulated expert factory', () => {
  const builtIn = createSimulatedPool({ seed: 3 });
  const factory = createSimulatedExpertFactory(3);

  it('matches the built-in expert of that name (and a "-2" copy of it), with the spec size', async () => {
    const index = builtIn.experts.findIndex((e) => e.name === 'Vicuna-13B');
    const expected = await builtIn.call(index, request);
    const member = factory({ name: 'Vicuna-13B', kind: 'simulated', sizeB: 20 }, 0);
    expect(member.info).toEqual({ name: 'Vicuna-13B', sizeB: 20, kind: 'simulated' });
    expect((await member.call(request)).answer).toBe(expected.answer);
    const copy = factory({ name: 'Vicuna-13B-2', kind: 'simulated', sizeB: 13 }, 1);
    expect(copy.info.name).toBe('Vicuna-13B-2');
    expect((await copy.call(request)).answer).toBe(expected.answer);
  });

  it('names the built-in experts when the name is unknown', () => {
    expect(() => factory({ name: 'gpt-9', kind: 'simulated', sizeB: 1 }, 0)).toThrow(/not one of the built-in simulated experts \(.*koala-7B/);
  });
});
