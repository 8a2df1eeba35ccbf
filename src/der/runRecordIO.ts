// Reading and writing run files (JSON Lines): line 1 is the run header, then episode and
// iteration lines. Parsing validates every line and names the line and field that is wrong.
// Numbers that are NaN (a baseline's missing critic value, a score without a reference) are
// written as null by JSON and read back as NaN.
import { z } from 'zod';
import { ExperimentConfigSchema } from './config';
import type { EpisodeRecord, IterationRecord, RunHeader, RunLine } from './runRecord';

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

const num = z.number().nullable().transform((v) => v ?? Number.NaN);
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

const IterationRecordSchema = z.object({
  type: z.literal('iteration'),
  iteration: z.number().int(),
  metrics: z.record(z.string(), num),
});

const RunHeaderSchema = z.object({
  type: z.literal('run'),
  config: ExperimentConfigSchema,
  seed: z.number().int(),
  created: z.string(),
  versions: z.record(z.string(), z.string()),
  experts: z.array(z.object({ name: z.string(), sizeB: z.number().min(0), kind: z.string() })),
  simulated: z.boolean(),
  knowledgeTransfer: z.boolean(),
});

export class RunFileError extends Error {
  constructor(readonly line: number, readonly field: string, detail: string) {
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
      if (type !== 'run') throw new RunFileError(lineNo, 'type', `the first line must be the run header {"type":"run", ...}, found type ${JSON.stringify(type)}`);
      header = validate(RunHeaderSchema, value, lineNo) as RunHeader;
    } else if (type === 'episode') {
      episodes.push(validate(EpisodeRecordSchema, value, lineNo) as EpisodeRecord);
    } else if (type === 'iteration') {
      iterations.push(validate(IterationRecordSchema, value, lineNo) as IterationRecord);
    } else {
      throw new RunFileError(lineNo, 'type', `expected "episode" or "iteration" (only line 1 is the run header), found ${JSON.stringify(type)}`);
    }
  }
  if (header === null) throw new RunFileError(1, '', 'the run file is empty; its first line must be the run header {"type":"run", ...}');
  return { header, episodes, iterations };
}
