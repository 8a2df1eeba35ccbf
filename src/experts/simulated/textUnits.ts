// Splitting answers into the units the simulated experts edit: sentences (lines of code count as
// sentences) made of whitespace-separated tokens. Each token keeps its punctuation for writing and
// has a normalised key (lower-case letters and digits) for comparing answers.

export interface Token {
  /** The token as written, punctuation included. */
  text: string;
  /** Lower-case letters and digits only; '' for pure punctuation/symbols (no content). */
  key: string;
}

export interface Sentence {
  tokens: Token[];
  /** What followed the sentence in the source: '\n' keeps line structure (code, lists), else ' '. */
  separator: string;
  /** The set of non-empty token keys, for overlap tests. */
  keys: Set<string>;
}

const NON_WORD = /[^\p{L}\p{N}]+/gu;

export function tokenKey(text: string): string {
  return text.toLowerCase().replace(NON_WORD, '');
}

/** Split into sentences at . ! ? followed by whitespace, and at line breaks. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    const parts = line.split(/(?<=[.!?])\s+(?=\S)/u);
    parts.forEach((part, i) => {
      const tokens = part
        .split(/\s+/u)
        .filter(Boolean)
        .map((t) => ({ text: t, key: tokenKey(t) }));
      if (!tokens.length) return;
      const keys = new Set<string>();
      for (const t of tokens) if (t.key) keys.add(t.key);
      out.push({ tokens, separator: i === parts.length - 1 ? '\n' : ' ', keys });
    });
  }
  return out;
}

const parsedReferences = new Map<string, Sentence[]>();
const MAX_CACHED_REFERENCES = 4096;

/** splitSentences with a bounded cache: references are parsed once, however often they are answered. */
export function parseReference(reference: string): Sentence[] {
  let parsed = parsedReferences.get(reference);
  if (!parsed) {
    if (parsedReferences.size >= MAX_CACHED_REFERENCES) parsedReferences.clear();
    parsed = splitSentences(reference);
    parsedReferences.set(reference, parsed);
  }
  return parsed;
}

/** Join sentences written as token lists, honouring each sentence's separator. */
export function joinSentences(sentences: readonly { words: string[]; separator: string }[]): string {
  let out = '';
  let pendingSeparator = '';
  for (const sentence of sentences) {
    if (!sentence.words.length) continue;
    out += pendingSeparator + sentence.words.join(' ');
    pendingSeparator = sentence.separator === '\n' ? '\n' : ' ';
  }
  return out;
}

/** Approximate token count the way usage is reported for simulated calls: words × 1.3. */
export function approxTokens(text: string): number {
  const words = text.split(/\s+/u).filter(Boolean).length;
  return Math.round(words * 1.3);
}
