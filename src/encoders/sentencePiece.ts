// A SentencePiece unigram tokenizer (Viterbi over a scored vocabulary), enough for the Universal
// Sentence Encoder lite vocabulary: `[[piece, logProb], ...]`, pieces mark a word start with "▁".
// It follows sentencepiece's unigram model: best-scoring segmentation, an unknown character
// becomes the unk id with a penalty below every real piece, and runs of unknowns merge into one.

/** One vocabulary row as shipped in vocab.json. A null score (user-defined symbols like ":") counts as 0. */
export type VocabularyEntry = readonly [piece: string, score: number | null];

/** Marks the start of a word; sentencepiece writes it in place of each space. */
export const WORD_START = '\u2581';

/** USE-lite reserves ids 0..5 (unk, <s>, </s>, three extras); they never match text. */
export const USE_RESERVED_SYMBOL_COUNT = 6;

/** sentencepiece's kUnkPenalty: unknown characters score this far below the worst real piece. */
const UNK_PENALTY = 10;

export interface SentencePieceOptions {
  /** Leading vocabulary rows that are control symbols, not text pieces. */
  reservedSymbolCount?: number;
  unkId?: number;
}

/**
 * NFKC, whitespace runs collapsed to one space and trimmed (sentencepiece's default
 * `nmt_nfkc` + remove_extra_whitespaces), then each word prefixed with "▁".
 */
export function normalizeForSentencePiece(text: string): string {
  const collapsed = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return collapsed.length > 0 ? WORD_START + collapsed.replaceAll(' ', WORD_START) : '';
}

interface PieceInfo {
  id: number;
  score: number;
}

export class SentencePieceTokenizer {
  private readonly pieces = new Map<string, PieceInfo>();
  private readonly pieceTexts: string[];
  /** Longest piece in code points: how far the lattice looks ahead from each position. */
  private readonly maxPieceLength: number;
  private readonly unkScore: number;
  readonly unkId: number;

  constructor(vocabulary: readonly VocabularyEntry[], options: SentencePieceOptions = {}) {
    const reserved = options.reservedSymbolCount ?? USE_RESERVED_SYMBOL_COUNT;
    this.unkId = options.unkId ?? 0;
    if (vocabulary.length <= reserved) {
      throw new Error(`SentencePiece vocabulary has ${vocabulary.length} rows, expected more than the ${reserved} reserved symbols.`);
    }
    this.pieceTexts = vocabulary.map((entry) => entry[0]);
    let maxLength = 1;
    let minScore = 0;
    for (let id = reserved; id < vocabulary.length; id++) {
      const [piece, rawScore] = vocabulary[id];
      const score = rawScore ?? 0;
      if (!this.pieces.has(piece)) this.pieces.set(piece, { id, score });
      maxLength = Math.max(maxLength, Array.from(piece).length);
      minScore = Math.min(minScore, score);
    }
    this.maxPieceLength = maxLength;
    this.unkScore = minScore - UNK_PENALTY;
  }

  get vocabularySize(): number {
    return this.pieceTexts.length;
  }

  /** The piece text of an id ("▁the", "ing", or the reserved symbol's name). */
  pieceOf(id: number): string {
    const piece = this.pieceTexts[id];
    if (piece === undefined) throw new Error(`Token id ${id} is outside the vocabulary (size ${this.pieceTexts.length}).`);
    return piece;
  }

  /** Token ids of the best segmentation; empty for empty or whitespace-only text. */
  encode(text: string): number[] {
    const symbols = Array.from(normalizeForSentencePiece(text));
    const n = symbols.length;
    if (n === 0) return [];
    // best[i]: score of the best segmentation of symbols[0..i); from/id: its last piece.
    const best = new Float64Array(n + 1).fill(-Infinity);
    const from = new Int32Array(n + 1).fill(-1);
    const tokenAt = new Int32Array(n + 1).fill(-1);
    best[0] = 0;
    for (let start = 0; start < n; start++) {
      if (best[start] === -Infinity) continue;
      let candidate = '';
      let singleCharKnown = false;
      const limit = Math.min(n, start + this.maxPieceLength);
      for (let end = start + 1; end <= limit; end++) {
        candidate += symbols[end - 1];
        const info = this.pieces.get(candidate);
        if (info === undefined) continue;
        if (end === start + 1) singleCharKnown = true;
        const score = best[start] + info.score;
        if (score > best[end]) {
          best[end] = score;
          from[end] = start;
          tokenAt[end] = info.id;
        }
      }
      // Like sentencepiece, a character no piece starts with becomes unk, so every text has a path.
      if (!singleCharKnown) {
        const score = best[start] + this.unkScore;
        if (score > best[start + 1]) {
          best[start + 1] = score;
          from[start + 1] = start;
          tokenAt[start + 1] = this.unkId;
        }
      }
    }
    const reversed: number[] = [];
    for (let end = n; end > 0; end = from[end]) reversed.push(tokenAt[end]);
    const ids: number[] = [];
    for (let i = reversed.length - 1; i >= 0; i--) {
      const id = reversed[i];
      if (id === this.unkId && ids.length > 0 && ids[ids.length - 1] === this.unkId) continue;
      ids.push(id);
    }
    return ids;
  }

  /** Piece texts of the best segmentation (for inspection and tests). */
  encodeAsPieces(text: string): string[] {
    return this.encode(text).map((id) => this.pieceOf(id));
  }
}
