// Tokenises text the way GloVe 6B's corpus was tokenised, closely enough for word lookup: the
// vectors were trained on lowercased, Stanford-tokenised Wikipedia + Gigaword text, where
// contractions are split ("don't" → "do" "n't", "it's" → "it" "'s"), numbers keep their inner
// separators ("3.14", "1,000") and every punctuation mark is its own token.
//
// Differences from the Stanford tokenizer, on purpose: hyphenated words are split into their parts
// and "-" (GloVe has many compounds, but far from all, and parts are always in the vocabulary), and
// every other non-space symbol is one token. Punctuation tokens are kept, as BERTScore keeps them.

const CURLY_APOSTROPHES = /[\u2018\u2019\u02bc]/g;
const CURLY_QUOTES = /[\u201c\u201d]/g;
const NEGATION = /(\p{L})n't\b/gu;
const CLITIC = /(\p{L})'(s|re|ve|ll|d|m)\b/gu;
const TOKEN = /n't|'(?:s|re|ve|ll|d|m)\b|\p{N}+(?:[.,:]\p{N}+)*|[\p{L}\p{M}\p{N}]+|\S/gu;

export function tokenizeForGlove(text: string): string[] {
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(CURLY_APOSTROPHES, "'")
    .replace(CURLY_QUOTES, '"')
    .replace(NEGATION, "$1 n't")
    .replace(CLITIC, "$1 '$2");
  return normalized.match(TOKEN) ?? [];
}
