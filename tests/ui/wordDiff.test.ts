import { describe, expect, it } from 'vitest';
import { diffStats, tokenizeWords, wordDiff, type DiffPart } from '../../src/ui/inspector/wordDiff';

const join = (parts: DiffPart[], kinds: DiffPart['kind'][]) =>
  parts
    .filter((p) => kinds.includes(p.kind))
    .map((p) => p.text)
    .join('');

describe('wordDiff', () => {
  it('marks a replaced word as one removal and one addition', () => {
    const parts = wordDiff('the cat sat on the mat', 'the dog sat on the mat');
    expect(parts).toEqual([
      { kind: 'same', text: 'the ' },
      { kind: 'removed', text: 'cat ' },
      { kind: 'added', text: 'dog ' },
      { kind: 'same', text: 'sat on the mat' },
    ]);
  });

  it('reconstructs the new text from same + added parts, and the old words from same + removed', () => {
    const before = 'Paris is the capital of France.\nIt is large.';
    const after = 'The capital of France is Paris.\nIt is a large city.';
    const parts = wordDiff(before, after);
    expect(join(parts, ['same', 'added'])).toBe(after);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(words(join(parts, ['same', 'removed']))).toEqual(words(before));
  });

  it('finds a longest common subsequence (insertions in the middle keep the rest as same)', () => {
    const parts = wordDiff('a b c d', 'a x b c y d');
    expect(join(parts, ['added']).split(/\s+/).filter(Boolean)).toEqual(['x', 'y']);
    expect(join(parts, ['removed'])).toBe('');
    expect(diffStats(parts)).toEqual({ added: 2, removed: 0, same: 4 });
  });

  it('handles empty sides and identical texts', () => {
    expect(wordDiff('', 'new words')).toEqual([{ kind: 'added', text: 'new words' }]);
    expect(wordDiff('old words', '')).toEqual([{ kind: 'removed', text: 'old words' }]);
    expect(wordDiff('same text', 'same text')).toEqual([{ kind: 'same', text: 'same text' }]);
  });

  it('ignores whitespace-only changes between words', () => {
    const parts = wordDiff('one two\nthree', 'one two three');
    expect(parts.every((p) => p.kind === 'same')).toBe(true);
  });

  it('stays fast on long answers', () => {
    const a = Array.from({ length: 1500 }, (_, i) => `w${i % 97}`).join(' ');
    const b = Array.from({ length: 1500 }, (_, i) => `w${(i * 7) % 97}`).join(' ');
    const started = performance.now();
    const parts = wordDiff(a, b);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(join(parts, ['same', 'added'])).toBe(b);
  });

  it('tokenizes words with their trailing whitespace', () => {
    expect(tokenizeWords('  a b\n')).toEqual(['  ', 'a ', 'b\n']);
  });
});
