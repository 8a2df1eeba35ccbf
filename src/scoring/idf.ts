// Inverse document frequency as BERTScore defines it (Zhang et al. 2020; the bert_score package):
//   idf(w) = log((M + 1) / (df(w) + 1))
// over a reference corpus of M documents, where df(w) is the number of documents containing w.
// A word never seen in the corpus gets log((M + 1) / 1), the largest weight, like bert_score's
// default value for unseen tokens.

export interface IdfTable {
  /** Number of documents M the table was computed from. */
  readonly documentCount: number;
  /** idf of one token (already tokenised the same way as the corpus). */
  weight(token: string): number;
  /** Document frequency of one token (0 when unseen). */
  documentFrequency(token: string): number;
}

/** Builds the idf table from tokenised documents (each document counted once per distinct token). */
export function buildIdf(tokenizedDocuments: readonly (readonly string[])[]): IdfTable {
  const documentFrequencies = new Map<string, number>();
  for (const tokens of tokenizedDocuments) {
    for (const token of new Set(tokens)) {
      documentFrequencies.set(token, (documentFrequencies.get(token) ?? 0) + 1);
    }
  }
  const documentCount = tokenizedDocuments.length;
  const unseenWeight = Math.log(documentCount + 1);
  return {
    documentCount,
    weight(token: string): number {
      const df = documentFrequencies.get(token);
      return df === undefined ? unseenWeight : Math.log((documentCount + 1) / (df + 1));
    },
    documentFrequency(token: string): number {
      return documentFrequencies.get(token) ?? 0;
    },
  };
}
