import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8Offset } from '../../src/data/decodeText';
import { detectFormat, detectFormatFromContent, detectRowShape } from '../../src/data/detectFormat';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('firstInvalidUtf8Offset', () => {
  it('accepts valid multi-byte text (2, 3 and 4-byte sequences)', () => {
    expect(firstInvalidUtf8Offset(utf8('aé€😀z'))).toBe(-1);
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['a truncated sequence at the end', [0x61, 0x62, 0xe2, 0x82], 2],
    ['a lead byte followed by ASCII', [0xc3, 0x41], 0],
    ['an overlong encoding of "/"', [0xc0, 0xaf], 0],
    ['an overlong 3-byte form', [0xe0, 0x80, 0xaf], 0],
    ['an encoded UTF-16 surrogate', [0x41, 0xed, 0xa0, 0x80], 1],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ])('finds %s', (_, bytes, offset) => {
    expect(firstInvalidUtf8Offset(new Uint8Array(bytes))).toBe(offset);
  });

  it('agrees with TextDecoder fatal on what is valid', () => {
    const samples = [
      [0xf0, 0x9f, 0x98, 0x80],
      [0xed, 0x9f, 0xbf],
      [0xef, 0xbf, 0xbd],
      [0xe0, 0xa0, 0x80],
    ];
    for (const s of samples) {
      const bytes = new Uint8Array(s);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
      expect(firstInvalidUtf8Offset(bytes)).toBe(-1);
    }
  });

  it('decodeUtf8 reports the line of the bad byte', () => {
    const bytes = new Uint8Array([...utf8('one\ntwo\nthr'), 0xff, ...utf8('ee\n')]);
    expect(() => decodeUtf8(bytes, 'd')).toThrow(/byte offset 11 \(line 3, byte 0xff\)/);
  });
});

describe('detectFormat', () => {
  it('trusts a known extension first', () => {
    expect(detectFormat('[1]', 'a.jsonl')).toBe('jsonl');
    expect(detectFormat('a,b', 'data.NDJSON')).toBe('jsonl');
    expect(detectFormat('{}', 'x.csv')).toBe('csv');
  });

  it('sniffs content when the name does not say', () => {
    expect(detectFormatFromContent('  [\n{"a":1}]')).toBe('json');
    expect(detectFormatFromContent('{"a":1}\n{"a":2}\n')).toBe('jsonl');
    expect(detectFormatFromContent('{"a":1}\n')).toBe('jsonl');
    expect(detectFormatFromContent('{"data":[{"a":1}]}')).toBe('json');
    expect(detectFormatFromContent('{\n  "data": []\n}')).toBe('json');
    expect(detectFormatFromContent('question,answer\nq,a')).toBe('csv');
    expect(detectFormatFromContent('question\tanswer, with comma\nq\ta')).toBe('tsv');
  });
});

describe('detectRowShape', () => {
  it('recognises MixInstruct, GSM8K and generic rows', () => {
    expect(detectRowShape({ instruction: 'x', candidates: [] })).toBe('mixinstruct');
    expect(detectRowShape({ question: 'x', answer: 'y' })).toBe('gsm8k');
    expect(detectRowShape({ instruction: 'x', output: 'y' })).toBe('generic');
    expect(detectRowShape({ instruction: 'x', question: 'q', answer: 'a' })).toBe('generic');
    expect(detectRowShape([1])).toBe('generic');
  });
});
