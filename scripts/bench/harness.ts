// The benchmark harness shared by every case: medians of repetitions, ratios against a goal,
// the results file (bench/results.json) and the printed table. Benchmarks print figures; nothing
// here asserts a time, so a slow or noisy machine never fails a run.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

/** How a measured ratio is compared with its goal. */
export type GoalDirection = 'atMost' | 'atLeast' | 'info';

export interface Goal {
  direction: GoalDirection;
  value: number;
  /** The goal in words, e.g. "time ratio ≤ 3". */
  text: string;
}

/** One row of bench/results.json. */
export interface BenchResult {
  name: string;
  /** What the case is compared with in the same run, or "none". */
  peer: string;
  /** The goal in words. */
  goal: string;
  /** The measured figures in words (medians, units). */
  measured: string;
  /** The figure the goal is about (a ratio, or a rate for cases without a peer); null when not measured. */
  ratio: number | null;
  /** null when the case could not be measured (peer unavailable, skipped); never a failure of the run. */
  met: boolean | null;
  /** Extra figures (profiles, breakdowns) kept for the reader of results.json. */
  details?: Record<string, unknown>;
  /** Why the case was not measured, or a caveat. */
  note?: string;
  /** When the row was measured (ISO time); rows of a partial run sit beside older ones. */
  ranAt?: string;
}

export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** a / b, NaN when either is not a positive finite number (a missing peer gives no ratio). */
export function ratio(a: number, b: number): number {
  if (!(Number.isFinite(a) && Number.isFinite(b)) || a < 0 || b <= 0) return Number.NaN;
  return a / b;
}

/** Whether `value` meets the goal; null when it was not measured (NaN) or the row is informational. */
export function meetsGoal(value: number, goal: Goal): boolean | null {
  if (!Number.isFinite(value) || goal.direction === 'info') return null;
  return goal.direction === 'atMost' ? value <= goal.value : value >= goal.value;
}

export function atMost(value: number, text: string): Goal {
  return { direction: 'atMost', value, text };
}

export function atLeast(value: number, text: string): Goal {
  return { direction: 'atLeast', value, text };
}

/** A row kept for information: no goal, `met` is always null. */
export function informational(text: string): Goal {
  return { direction: 'info', value: Number.NaN, text };
}

/** A result row from a goal and the figure it is about. */
export function result(fields: {
  name: string;
  peer: string;
  goal: Goal;
  measured: string;
  value: number;
  details?: Record<string, unknown>;
  note?: string;
}): BenchResult {
  const value = Number.isFinite(fields.value) ? round(fields.value, 3) : null;
  return {
    name: fields.name,
    peer: fields.peer,
    goal: fields.goal.text,
    measured: fields.measured,
    ratio: value,
    met: meetsGoal(fields.value, fields.goal),
    ...(fields.details ? { details: fields.details } : {}),
    ...(fields.note ? { note: fields.note } : {}),
  };
}

/** A row for a case that could not be measured here (a missing peer or tool): reported, not failed. */
export function unavailable(name: string, peer: string, goal: Goal, why: string): BenchResult {
  return { name, peer, goal: goal.text, measured: 'not measured', ratio: null, met: null, note: why };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Milliseconds of each of `repeats` calls of `fn` after `warmup` unmeasured calls. */
export async function timeRepeats(fn: () => Promise<unknown> | unknown, repeats: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

function fmtRatio(r: BenchResult): string {
  return r.ratio === null ? '—' : String(r.ratio);
}

function fmtMet(r: BenchResult): string {
  return r.met === null ? 'n/a' : r.met ? 'yes' : 'NO';
}

/** A plain-text table (also valid Markdown) of the results. */
export function formatTable(results: readonly BenchResult[]): string {
  const header = ['case', 'peer', 'goal', 'measured', 'ratio', 'met'];
  const rows = results.map((r) => [r.name, r.peer, r.goal, r.measured + (r.note ? ` (${r.note})` : ''), fmtRatio(r), fmtMet(r)]);
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`)];
  return lines.join('\n');
}

/**
 * Writes the results, replacing rows of the same name and keeping the others (so running one case
 * alone updates its rows without losing the rest of the last full run).
 */
export async function writeResults(file: string, fresh: readonly BenchResult[], dropNames: readonly string[] = []): Promise<BenchResult[]> {
  let previous: BenchResult[] = [];
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (Array.isArray(parsed)) previous = parsed as BenchResult[];
  } catch {
    /* no previous file, or unreadable: start afresh */
  }
  const merged = mergeResults(
    previous.filter((r) => !dropNames.includes(r.name)),
    fresh,
  );
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(merged, null, 2) + '\n');
  return merged;
}

/** Rows of `fresh` replace rows of the same name in `previous`, in place; new names go last. */
export function mergeResults(previous: readonly BenchResult[], fresh: readonly BenchResult[]): BenchResult[] {
  const byName = new Map(fresh.map((r) => [r.name, r]));
  const merged = previous.map((r) => byName.get(r.name) ?? r);
  const kept = new Set(previous.map((r) => r.name));
  return [...merged, ...fresh.filter((r) => !kept.has(r.name))];
}

/** Progress lines go to stderr so that stdout holds only the table. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * A forced full GC, enabled at run time (npm run bench passes no node flags); undefined where V8
 * refuses. Used before heap samples (memory.ts) and before each timed Node turn of the PPO case,
 * so that collecting the previous turn's garbage does not land in the next turn's CPU time.
 */
export function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}
