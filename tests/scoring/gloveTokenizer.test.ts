import { describe, expect, it } from 'vitest';
import { tokenizeForGlove } from '../../src/scoring/gloveTokenizer';

describe('tokenizeForGlove', () => {
  it('lowercases and splits contractions as GloVe 6B does', () => {
    expect(tokenizeForGlove("Don't panic, it's fine")).toEqual(['do', "n't", 'panic', ',', 'it', "'s", 'fine']);
    expect(tokenizeForGlove('They’re here')).toEqual(['they', "'re", 'here']);
  });

  it('keeps numbers with inner separators and splits other punctuation', () => {
    expect(tokenizeForGlove('Pay $1,000.50 (or 3.5%)!')).toEqual(['pay', '$', '1,000.50', '(', 'or', '3.5', '%', ')', '!']);
  });

  it('splits hyphenated words and returns [] for blank text', () => {
    expect(tokenizeForGlove('well-known')).toEqual(['well', '-', 'known']);
    expect(tokenizeForGlove('  \n ')).toEqual([]);
  });
});
