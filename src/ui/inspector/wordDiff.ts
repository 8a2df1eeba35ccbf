// A word diff (jsdiff over word tokens) to show what an expert changed in the previous expert's
// answer. Whitespace stays attached to the words, so joining the "same" and "added" parts gives
// back the new answer exactly (what the card shows is the real text).
import { diffArrays } from 'diff';

export type DiffKind = 'same' | 'added' | 'removed';

export interface DiffPart {
  kind: DiffKind;
  text: string;
}

/** Words with their trailing whitespace ("a b" → ["a ", "b"]); leading whitespace is its own token. */
export function tokenizeWords(text: string): string[] {
  return text.match(/\s+|\S+\s*/g) ?? [];
}

const core = (token: string) => token.trimEnd();

/** Beyond this many word edits the middle is shown as one removal plus one addition (keeps the UI fast). */
const MAX_EDITS = 600;

/**
 * Word-level diff from `before` to `after` (jsdiff's Myers diff over the word tokens). Tokens
 * compare without their trailing whitespace, so a changed line break alone does not mark a word
 * as changed; unchanged parts carry the new text's tokens. Adjacent parts of the same kind are merged.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokenizeWords(before);
  const b = tokenizeWords(after);
  const parts: DiffPart[] = [];
  const push = (kind: DiffKind, text: string) => {
    if (text === '') return;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  const changes = diffArrays(a, b, { comparator: (x, y) => core(x) === core(y), maxEditLength: MAX_EDITS });
  if (!changes) {
    push('removed', before);
    push('added', after);
    return parts;
  }
  for (const change of changes) push(change.added ? 'added' : change.removed ? 'removed' : 'same', change.value.join(''));
  return parts;
}

/** Counts of words added and removed (for a one-line summary above the diff). */
export function diffStats(parts: readonly DiffPart[]): { added: number; removed: number; same: number } {
  const count = (kind: DiffKind) => parts.filter((p) => p.kind === kind).reduce((n, p) => n + tokenizeWords(p.text).filter((t) => t.trim() !== '').length, 0);
  return { added: count('added'), removed: count('removed'), same: count('same') };
}
