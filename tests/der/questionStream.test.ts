// The training questions' order survives a save and restore: a stream restored from a saved state
// draws the same questions as the one that went on, and a state that does not fit is refused.
import { describe, expect, it } from 'vitest';
import { QuestionStream } from '../../src/der/questionStream';
import { createRng } from '../../src/der/rng';
import { question } from './fakes';

const QUESTIONS = Array.from({ length: 5 }, (_, i) => question(`q${i}`));
const draw = (s: QuestionStream, n: number) => Array.from({ length: n }, () => s.next().id);

describe('QuestionStream', () => {
  it('restored mid-epoch (through JSON), draws the same questions as the stream that never stopped', () => {
    const a = new QuestionStream(QUESTIONS, createRng(3).fork('questions'));
    draw(a, 7);
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const b = new QuestionStream(QUESTIONS, createRng(99));
    b.setState(saved);
    expect(draw(b, 12)).toEqual(draw(a, 12));
  });

  it('refuses a malformed state or one naming a question not in the split, and keeps its own', () => {
    const s = new QuestionStream(QUESTIONS, createRng(3));
    draw(s, 2);
    const before = s.getState();
    expect(() => s.setState({ rng: -1, order: [], cursor: 0 })).toThrow(/malformed/);
    expect(() => s.setState({ ...before, cursor: 9 })).toThrow(/malformed/);
    expect(() => s.setState({ ...before, order: ['q0', 'gone'] })).toThrow(/"gone".*not in this run's training split/);
    expect(s.getState()).toEqual(before);
  });
});
