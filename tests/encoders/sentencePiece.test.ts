import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeForSentencePiece, SentencePieceTokenizer, WORD_START, type VocabularyEntry } from '../../src/encoders/sentencePiece';
import { asVocabulary } from '../../src/encoders/useLiteModel';
import { useLiteModelFolder } from '../../src/encoders/useLiteNode';

const RESERVED: VocabularyEntry[] = [
  ['<unk>', 0],
  ['<s>', 0],
  ['</s>', 0],
];

function tiny(entries: VocabularyEntry[]): SentencePieceTokenizer {
  return new SentencePieceTokenizer([...RESERVED, ...entries], { reservedSymbolCount: 3, unkId: 0 });
}

describe('SentencePiece unigram (synthetic vocabulary)', () => {
  it('picks the segmentation with the highest total score, not the greedy longest match', () => {
    // "▁abc": greedy longest would take "▁ab" + "c" (-1 + -5 = -6); "▁a" + "bc" scores -2 + -1 = -3.
    const t = tiny([
      ['▁ab', -1],
      ['c', -5],
      ['▁a', -2],
      ['bc', -1],
      ['b', -4],
      ['▁', -3],
      ['a', -4],
    ]);
    expect(t.encodeAsPieces('abc')).toEqual(['▁a', 'bc']);
  });

  it('prefers one whole piece when it beats the sum of its parts', () => {
    const t = tiny([
      ['▁abc', -2],
      ['▁a', -1],
      ['bc', -1.5],
    ]);
    expect(t.encodeAsPieces('abc')).toEqual(['▁abc']);
  });

  it('maps unknown characters to unk and merges a run of them into one', () => {
    const t = tiny([
      ['▁', -1],
      ['a', -1],
      ['▁a', -1],
    ]);
    expect(t.encode('a#%a')).toEqual([t.encode('a')[0], 0, 4]);
    expect(t.encode('a#%a').filter((id) => id === 0)).toHaveLength(1);
  });

  it('never lets reserved symbols match text', () => {
    const t = tiny([
      ['▁', -1],
      ['<', -1],
      ['s', -1],
      ['>', -1],
    ]);
    expect(t.encodeAsPieces('<s>')).toEqual(['▁', '<', 's', '>']);
  });

  it('treats a null score (user-defined symbol) as score 0', () => {
    const t = tiny([
      ['▁', -1],
      [':', null],
      ['▁:', -20],
    ]);
    expect(t.encodeAsPieces(':')).toEqual(['▁', ':']);
  });

  it('normalises like nmt_nfkc: NFKC, collapsed whitespace, ▁ before each word', () => {
    expect(normalizeForSentencePiece('  ﬁne\t\n day ')).toBe(`${WORD_START}fine${WORD_START}day`);
    expect(normalizeForSentencePiece(' \n ')).toBe('');
    expect(tiny([['a', -1]]).encode('   ')).toEqual([]);
  });
});

describe('SentencePiece with the USE-lite vocabulary', () => {
  const vocabulary = asVocabulary(JSON.parse(readFileSync(path.join(useLiteModelFolder(), 'vocab.json'), 'utf8')));
  const tokenizer = new SentencePieceTokenizer(vocabulary);

  it('keeps frequent words whole', () => {
    // Each of these whole words is a vocabulary piece, so the best path uses it.
    for (const word of ['How', 'old', 'are', 'you', 'the', 'weather']) {
      expect(vocabulary.some(([piece]) => piece === WORD_START + word)).toBe(true);
    }
    expect(tokenizer.encodeAsPieces('How old are you?')).toEqual(['▁How', '▁old', '▁are', '▁you', '?']);
    expect(tokenizer.encodeAsPieces('the weather')).toEqual(['▁the', '▁weather']);
  });

  it('splits a word missing from the vocabulary into known sub-pieces that spell it', () => {
    expect(vocabulary.some(([piece]) => piece === '▁Hello')).toBe(false);
    const pieces = tokenizer.encodeAsPieces('Hello');
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('▁Hello');
  });

  it('round-trips text without unknown characters: the pieces spell the normalised input', () => {
    const texts = [
      'Janet’s ducks lay 16 eggs per day. She eats three for breakfast.',
      'Rewrite the sentence and make your writing clearer by keeping it concise.',
      'x = (a + b) * 3; print(x)',
    ];
    for (const text of texts) {
      const ids = tokenizer.encode(text);
      expect(ids).not.toContain(tokenizer.unkId);
      expect(ids.map((id) => tokenizer.pieceOf(id)).join('')).toBe(normalizeForSentencePiece(text));
    }
  });

  it('uses unk (id 0) only for characters the vocabulary lacks', () => {
    const ids = tokenizer.encode('I feel 😀 today');
    expect(ids.filter((id) => id === 0)).toHaveLength(1);
    expect(
      tokenizer
        .encodeAsPieces('I feel 😀 today')
        .filter((p) => p !== '�')
        .join(''),
    ).toBe('▁I▁feel▁▁today');
  });
});
