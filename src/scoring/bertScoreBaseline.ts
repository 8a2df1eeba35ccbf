// BERTScore baseline rescaling (Zhang et al. 2020, §"Improving score readability"): a raw score x
// becomes (x − b)/(1 − b), where b is the mean score of unrelated sentence pairs for the same model,
// layer and measure (P, R and F each have their own b; the rescaled F is NOT recomputed from the
// rescaled P and R, as in the bert_score package). Baselines come from the committed table
// (bertScoreDefaults.ts) or from a user's TSV in bert_score's format.
import { BERTSCORE_MODEL_DEFAULTS, type BertScoreModelDefaults } from './bertScoreDefaults';

export interface BaselineValues {
  readonly P: number;
  readonly R: number;
  readonly F: number;
}

export interface PRF {
  P: number;
  R: number;
  F1: number;
}

export function rescaleScore(x: number, b: number): number {
  if (b >= 1) throw new Error(`BERTScore baseline ${b} must be below 1 (rescaling divides by 1 − b)`);
  return (x - b) / (1 - b);
}

export function rescalePRF(score: PRF, baseline: BaselineValues): PRF {
  return { P: rescaleScore(score.P, baseline.P), R: rescaleScore(score.R, baseline.R), F1: rescaleScore(score.F1, baseline.F) };
}

/**
 * Parses a bert_score baseline file: a header `LAYER,P,R,F` then one row per layer (commas or tabs).
 * Returns the baselines by layer number.
 */
export function parseBaselineTsv(text: string): Map<number, BaselineValues> {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length < 2) throw new Error('Baseline file: expected a header "LAYER,P,R,F" and at least one row');
  const header = lines[0].split(/[,\t]/).map((h) => h.trim().toUpperCase());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`Baseline file: header "${lines[0]}" lacks column ${name}; expected LAYER,P,R,F`);
    return i;
  };
  const [li, pi, ri, fi] = [col('LAYER'), col('P'), col('R'), col('F')];
  const table = new Map<number, BaselineValues>();
  lines.slice(1).forEach((line, n) => {
    const cells = line.split(/[,\t]/).map((c) => Number(c.trim()));
    const row = { layer: cells[li], P: cells[pi], R: cells[ri], F: cells[fi] };
    if (Object.values(row).some((v) => !Number.isFinite(v)) || !Number.isInteger(row.layer)) {
      throw new Error(`Baseline file: row ${n + 2} ("${line}") is not LAYER,P,R,F numbers`);
    }
    table.set(row.layer, { P: row.P, R: row.R, F: row.F });
  });
  return table;
}

/** Finds the committed defaults for a model given by bert_score name, hub id ("Xenova/…", "google-bert/…") or either. */
export function findModelDefaults(model: string): BertScoreModelDefaults | undefined {
  const bare = model.replace(/\/+$/, '').split('/').at(-1) ?? model;
  return BERTSCORE_MODEL_DEFAULTS.find((d) => d.name === model || d.onnxId === model || d.name === bare);
}

/** The published English baseline of a known model at a layer, or undefined. */
export function defaultBaseline(model: string, layer: number): BaselineValues | undefined {
  const row = findModelDefaults(model)?.baselineEn[layer];
  return row ? { P: row[0], R: row[1], F: row[2] } : undefined;
}
