// Reading and writing run files (JSON Lines): line 1 is the run header, then episode and
// iteration lines. Parsing validates every line and names the line and field that is wrong.
// Numbers that are NaN (a baseline's missing critic value, a score without a reference) are
// written as null by JSON and read back as NaN. Iteration lines of files written before the
// IterationRecord shape (a flat `metrics` object, PPO metrics prefixed `ppo_`) are still read:
// iterationFromFlatMetrics turns them into IterationRecords, and flatIterationMetrics writes the
// same flat columns for the metrics CSV.
import { z } from 'zod';
import { ExperimentConfigSchema } from './config';
import type { EpisodeRecord, EpisodeSummary, IterationRecord, PpoUpdateMetrics, RunHeader, RunLine, StepStat } from './runRecord';

/** Keys that must never reach a file: API keys, auth headers, passwords, tokens. */
const SECRET_KEY = /(api[-_]?key|secret|password|passwd|authorization|access[-_]?token|auth[-_]?token|bearer)/i;

/** A deep copy without any secret-looking field (defensive: configs are not meant to hold keys). */
export function stripSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => stripSecrets(v)) as T;
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (!SECRET_KEY.test(key)) out[key] = stripSecrets(v);
    return out as T;
  }
  return value;
}

/** One line of a run file, without the newline. */
export function toJsonLine(line: RunLine): string {
  return JSON.stringify(stripSecrets(line));
}

/** A whole run file: one JSON object per line, newline-terminated. */
export function toJsonl(lines: readonly RunLine[]): string {
  return lines.map(toJsonLine).join('\n') + (lines.length > 0 ? '\n' : '');
}

const num = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const count = z.number().int().min(0);
const doneReason = z.enum(['threshold', 'tmax', 'stop', 'error']);

const RewardTermsSchema = z.object({ score: num, cost: num, increment: num, terminal: num });

const StepRecordSchema = z.object({
  t: count,
  action: count,
  expert: z.string(),
  cost: z.number().min(0),
  prompt: z.string(),
  answer: z.string(),
  score: num,
  delta: num,
  reward: num,
  terms: RewardTermsSchema,
  probs: z.array(num),
  logProb: num,
  value: num,
  done: z.boolean(),
  done_reason: doneReason.nullable(),
  cached: z.boolean().optional(),
  usage: z.object({ promptTokens: count, completionTokens: count }).optional(),
  latencyMs: z.number().min(0).optional(),
  costUSD: z.number().min(0).optional(),
  error: z.string().optional(),
});

const EpisodeRecordSchema = z.object({
  type: z.literal('episode'),
  iteration: z.number().int(),
  /** Replays outside a run may use a negative index. */
  index: z.number().int(),
  question_id: z.string(),
  domain: z.string().optional(),
  policy: z.string(),
  steps: z.array(StepRecordSchema).min(1, 'an episode has at least one step'),
  return: num,
  final_score: num,
  route_length: count,
  route_cost: z.number().min(0),
  done_reason: doneReason,
  failed: z.boolean().optional(),
  call_limit: z.number().int().min(1).optional(),
});

const StepStatSchema = z.object({ t: count, mean: num, std: num, n: count });

const EpisodeSummarySchema = z.object({
  episodes: count,
  failed: count,
  meanReturn: num,
  meanFinalScore: num,
  meanRouteLength: num,
  meanRouteCost: num,
  successRate: num,
  routeLengthHistogram: z.array(count),
  deltaByStep: z.array(StepStatSchema),
  transitionDelta: z.array(z.array(num)),
  transitionCount: z.array(z.array(count)),
  expertUsageByStep: z.array(z.array(count)),
});

const PpoUpdateMetricsSchema = z.object({
  policyLoss: num,
  valueLoss: num,
  entropy: num,
  approxKl: num,
  clipFraction: num,
  explainedVariance: num,
  gradNorm: num,
  gradSteps: count,
  transitions: count,
  episodes: count,
  actorLr: num,
  criticLr: num,
  stoppedEarly: z.boolean(),
  skipped: z.boolean(),
  skipReason: z.string().optional(),
  ms: num,
});

const IterationLineSchema = z.object({
  type: z.literal('iteration'),
  iteration: z.number().int(),
  episodes: count,
  summary: EpisodeSummarySchema,
  update: PpoUpdateMetricsSchema.nullable(),
  excludedEpisodes: count.optional(),
  failures: z
    .object({
      collected: count,
      failedEpisodes: count,
      unlearnableEpisodes: count,
      calls: count,
      failedCalls: count,
      byExpert: z.record(z.string(), z.object({ calls: count, failedCalls: count, failedEpisodes: count })),
    })
    .optional(),
  warning: z.string().optional(),
  chance: z.object({ policy: z.string(), meanReturn: num, sd: num, seeds: count, questions: count, meanRouteLength: num }).optional(),
});

/** The iteration line of run files written before IterationRecord: flat metrics. */
const LegacyIterationLineSchema = z.object({
  type: z.literal('iteration'),
  iteration: z.number().int(),
  metrics: z.record(z.string(), num),
});

const PPO_BOOLEANS = new Set(['stoppedEarly', 'skipped']);

/**
 * The flat columns of an iteration (the metrics CSV, and the iteration line of older run files):
 * the summary's scalars, `routeLength_k` (k = 1..Tmax), `deltaP_tN` (mean ΔP at step N), then the
 * update's numbers prefixed `ppo_` (booleans as 1/0).
 */
export function flatIterationMetrics(record: IterationRecord): Record<string, number> {
  const s = record.summary;
  const out: Record<string, number> = {
    episodes: s.episodes,
    failed: s.failed,
    meanReturn: s.meanReturn,
    meanFinalScore: s.meanFinalScore,
    meanRouteLength: s.meanRouteLength,
    meanRouteCost: s.meanRouteCost,
    successRate: s.successRate,
  };
  s.routeLengthHistogram.forEach((n, i) => (out[`routeLength_${i + 1}`] = n));
  for (const d of s.deltaByStep) out[`deltaP_t${d.t}`] = d.mean;
  if (record.failures) {
    out.collected = record.failures.collected;
    out.failedEpisodes = record.failures.failedEpisodes;
    out.calls = record.failures.calls;
    out.failedCalls = record.failures.failedCalls;
  }
  for (const [key, value] of Object.entries(record.update ?? {})) {
    if (typeof value === 'number') out[`ppo_${key}`] = value;
    else if (typeof value === 'boolean') out[`ppo_${key}`] = value ? 1 : 0;
  }
  return out;
}

/**
 * The inverse of flatIterationMetrics, for older run files (and saved runs kept in IndexedDB
 * before IterationRecord): what the flat form does not hold (ΔP spread and counts, transitions,
 * expert usage) is NaN or empty. `ppo_*` metrics become the update (null when there are none).
 */
export function iterationFromFlatMetrics(iteration: number, metrics: Readonly<Record<string, number>>): IterationRecord {
  const histogram: number[] = [];
  const deltaByStep: StepStat[] = [];
  const update: Record<string, number | boolean> = {};
  for (const [key, value] of Object.entries(metrics)) {
    const bin = /^routeLength_(\d+)$/.exec(key);
    const delta = /^deltaP_t(\d+)$/.exec(key);
    if (bin) histogram[Number(bin[1]) - 1] = value;
    else if (delta) deltaByStep.push({ t: Number(delta[1]), mean: value, std: Number.NaN, n: Number.NaN });
    else if (key.startsWith('ppo_')) {
      const field = key.slice(4);
      update[field] = PPO_BOOLEANS.has(field) ? value === 1 : value;
    }
  }
  const at = (key: string) => metrics[key] ?? Number.NaN;
  const summary: EpisodeSummary = {
    episodes: metrics.episodes ?? 0,
    failed: metrics.failed ?? 0,
    meanReturn: at('meanReturn'),
    meanFinalScore: at('meanFinalScore'),
    meanRouteLength: at('meanRouteLength'),
    meanRouteCost: at('meanRouteCost'),
    successRate: at('successRate'),
    routeLengthHistogram: Array.from(histogram, (n) => n ?? 0),
    deltaByStep: deltaByStep.sort((a, b) => a.t - b.t),
    transitionDelta: [],
    transitionCount: [],
    expertUsageByStep: [],
  };
  const hasUpdate = Object.keys(update).length > 0;
  return { iteration, episodes: summary.episodes, summary, update: hasUpdate ? (update as unknown as PpoUpdateMetrics) : null };
}

/**
 * A stored iteration in either shape: an IterationRecord, or the pre-IterationRecord report whose
 * `summary` was flat (saved runs in IndexedDB from older versions). Returns an IterationRecord.
 */
export function upgradeIteration(value: IterationRecord | (Omit<IterationRecord, 'summary'> & { summary: Record<string, number> })): IterationRecord {
  if (Array.isArray((value.summary as Partial<EpisodeSummary>).routeLengthHistogram)) return value as IterationRecord;
  const flat = iterationFromFlatMetrics(value.iteration, value.summary as Record<string, number>);
  return { ...value, summary: flat.summary } as IterationRecord;
}

const RunHeaderSchema = z.object({
  type: z.literal('run'),
  config: ExperimentConfigSchema,
  seed: z.number().int(),
  created: z.string(),
  versions: z.record(z.string(), z.string()),
  experts: z.array(z.object({ name: z.string(), sizeB: z.number().min(0), kind: z.string() })),
  simulated: z.boolean(),
  knowledgeTransfer: z.boolean(),
  retention: z.object({ maxEpisodes: count, latestIterations: count, seed: z.number().int(), kept: count, total: count }).optional(),
});

export class RunFileError extends Error {
  constructor(
    readonly line: number,
    readonly field: string,
    detail: string,
  ) {
    super(`run file line ${line}${field ? `, field ${field}` : ''}: ${detail}`);
    this.name = 'RunFileError';
  }
}

export interface ParsedRun {
  header: RunHeader;
  episodes: EpisodeRecord[];
  iterations: IterationRecord[];
}

function validate<T>(schema: z.ZodType<T>, value: unknown, line: number): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new RunFileError(line, issue.path.map(String).join('.'), issue.message);
}

/**
 * Parse and validate a run file. Throws RunFileError naming the line number (from 1) and the
 * field when a line is not JSON, is not a known record, or has a bad field. Blank lines are skipped.
 */
export function parseRunFile(text: string): ParsedRun {
  const rawLines = text.split(/\r?\n/);
  let header: RunHeader | null = null;
  const episodes: EpisodeRecord[] = [];
  const iterations: IterationRecord[] = [];
  for (const [i, raw] of rawLines.entries()) {
    const lineNo = i + 1;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new RunFileError(lineNo, '', `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    value = stripSecrets(value);
    const type = value !== null && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
    if (header === null) {
      if (type !== 'run')
        throw new RunFileError(lineNo, 'type', `the first line must be the run header {"type":"run", ...}, found type ${JSON.stringify(type)}`);
      header = validate(RunHeaderSchema, value, lineNo) as RunHeader;
    } else if (type === 'episode') {
      episodes.push(validate(EpisodeRecordSchema, value, lineNo) as EpisodeRecord);
    } else if (type === 'iteration') {
      if ('metrics' in (value as object) && !('summary' in (value as object))) {
        const legacy = validate(LegacyIterationLineSchema, value, lineNo);
        iterations.push(iterationFromFlatMetrics(legacy.iteration, legacy.metrics));
      } else {
        const { type: _type, ...record } = validate(IterationLineSchema, value, lineNo);
        iterations.push(record as IterationRecord);
      }
    } else {
      throw new RunFileError(lineNo, 'type', `expected "episode" or "iteration" (only line 1 is the run header), found ${JSON.stringify(type)}`);
    }
  }
  if (header === null) throw new RunFileError(1, '', 'the run file is empty; its first line must be the run header {"type":"run", ...}');
  return { header, episodes, iterations };
}
