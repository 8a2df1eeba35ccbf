// A small word diff (longest common subsequence over words) to show what an expert changed in
// the previous expert's answer. Whitespace stays attached to the words, so joining the "same"
// and "added" parts gives back the new answer exactly (what the card shows is the real text).

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

/** Above this many LCS cells the middle is shown as one removal plus one addition (keeps the UI fast). */
const MAX_CELLS = 4_000_000;

/**
 * Word-level diff from `before` to `after`. Tokens compare without their trailing whitespace,
 * so a changed line break alone does not mark a word as changed. Adjacent parts of the same kind
 * are merged.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokenizeWords(before);
  const b = tokenizeWords(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && core(a[prefix]) === core(b[prefix])) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && core(a[a.length - 1 - suffix]) === core(b[b.length - 1 - suffix])) suffix++;

  const parts: DiffPart[] = [];
  const push = (kind: DiffKind, text: string) => {
    if (text === '') return;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  b.slice(0, prefix).forEach((t) => push('same', t));
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  for (const part of diffMiddle(midA, midB)) push(part.kind, part.text);
  b.slice(b.length - suffix).forEach((t) => push('same', t));
  return parts;
}

function diffMiddle(a: string[], b: string[]): DiffPart[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((text) => ({ kind: 'added', text }));
  if (m === 0) return a.map((text) => ({ kind: 'removed', text }));
  if (n * m > MAX_CELLS) return [{ kind: 'removed', text: a.join('') }, { kind: 'added', text: b.join('') }];
  // lcs[i][j] = LCS length of a[i..] and b[j..], stored row-major in one typed array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = core(a[i]) === core(b[j]) ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const out: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (core(a[i]) === core(b[j])) {
      out.push({ kind: 'same', text: b[j] });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
      out.push({ kind: 'removed', text: a[i++] });
    } else {
      out.push({ kind: 'added', text: b[j++] });
    }
  }
  while (i < n) out.push({ kind: 'removed', text: a[i++] });
  while (j < m) out.push({ kind: 'added', text: b[j++] });
  return out;
}

/** Counts of words added and removed (for a one-line summary above the diff). */
export function diffStats(parts: readonly DiffPart[]): { added: number; removed: number; same: number } {
  const count = (kind: DiffKind) => parts.filter((p) => p.kind === kind).reduce((n, p) => n + tokenizeWords(p.text).filter((t) => t.trim() !== '').length, 0);
  return { added: count('added'), removed: count('removed'), same: count('same') };
}
