// Shared plumbing of the episode runner and the oracle baseline: one expert call that reports a
// failure instead of throwing (so one failed episode does not stop the others), one batched
// scoring call with its result checked, and the reply fields a step record copies.
import type { StepRecord } from './runRecord';
import type { ExpertPool, ExpertReply, ExpertRequest, Question, Scorer } from './types';

export type ExpertCallOutcome = { ok: true; reply: ExpertReply } | { ok: false; error: string; latencyMs: number };

export async function callExpertSafely(pool: ExpertPool, expertIndex: number, request: ExpertRequest): Promise<ExpertCallOutcome> {
  const started = Date.now();
  try {
    const reply = await pool.call(expertIndex, request);
    if (typeof reply?.answer !== 'string') throw new Error('the expert returned no answer text');
    return { ok: true, reply };
  } catch (err) {
    const name = pool.experts[expertIndex]?.name ?? `#${expertIndex}`;
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `expert ${name} failed: ${message}`, latencyMs: Date.now() - started };
  }
}

/** The optional reply fields a step record keeps (only those present, so JSON stays small). */
export function replyFields(reply: ExpertReply): Pick<StepRecord, 'cached' | 'usage' | 'latencyMs' | 'costUSD'> {
  const out: Pick<StepRecord, 'cached' | 'usage' | 'latencyMs' | 'costUSD'> = {};
  if (reply.cached !== undefined) out.cached = reply.cached;
  if (reply.usage !== undefined) out.usage = { promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens };
  if (reply.latencyMs !== undefined) out.latencyMs = reply.latencyMs;
  if (reply.costUSD !== undefined) out.costUSD = reply.costUSD;
  return out;
}

/** One scorer call for a batch; checks that one finite-or-NaN number came back per candidate. */
export async function scoreBatch(scorer: Scorer, candidates: readonly string[], references: readonly string[]): Promise<number[]> {
  if (candidates.length === 0) return [];
  const scores = await scorer.score(candidates, references);
  if (!Array.isArray(scores) || scores.length !== candidates.length) {
    throw new Error(`scorer ${scorer.name} returned ${Array.isArray(scores) ? scores.length : 'no'} scores for ${candidates.length} answers`);
  }
  return scores;
}

/** Throws naming the first question without a reference answer. */
export function requireReferences(questions: readonly Question[], why: string): void {
  const missing = questions.find((q) => q.output === undefined);
  if (missing) {
    throw new Error(
      `question ${missing.id} has no reference answer (output); ${why}. Use a dataset with references, or the learned stop rule for questions without one.`,
    );
  }
}
