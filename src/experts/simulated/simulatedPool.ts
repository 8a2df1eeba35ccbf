// The built-in simulated expert pool: needs no network and no key. Each call derives real text from
// the question's reference answer (writeAnswer.ts); the answer is a pure function of (pool seed,
// expert, question id, previous answer, t), so the same call always returns the same text.
import { createRng } from '../../der/rng';
import { questionText, type ExpertPool, type ExpertReply, type ExpertRequest, type Question } from '../../der/types';
import { SIMULATED_CALIBRATION } from './calibration';
import { CLOSINGS, DOMAIN_PADDING } from './phrasebook';
import { DEFAULT_SIMULATED_EXPERTS, domainCompetence, type SimulatedExpertProfile } from './profiles';
import { approxTokens } from './textUnits';
import { writeAnswer } from './writeAnswer';

export interface SimulatedPoolOptions {
  /** Pool seed: a different seed gives different (equally calibrated) answers. */
  seed: number | string;
  /** Expert profiles; defaults to the 11 MixInstruct-named experts. */
  experts?: readonly SimulatedExpertProfile[];
  /** Overall quality per expert name; defaults to the committed calibration (1 for unknown names). */
  fidelity?: Readonly<Record<string, number>>;
}

/** Spread of the per-question difficulty shared by all experts (some questions are hard for everyone). */
export const QUESTION_DIFFICULTY_SPREAD = 0.08;
/**
 * Subtracted from every quality before clamping at 0: a small fidelity then means "mostly
 * nothing right" (quality 0 on most questions), so the weakest published scores are reachable
 * with fidelity > 0 and the domain shape still matters for them.
 */
export const QUALITY_OFFSET = 0.1;

/** The fidelity an expert gets when none is given: the calibrated value, else 1. */
export function defaultFidelity(name: string): number {
  return SIMULATED_CALIBRATION.fidelity[name] ?? 1;
}

/**
 * The expert's quality on one question, in [0, 1]: fidelity × domain competence, plus the
 * expert's own per-question noise, minus the question's shared difficulty and a fixed offset. Fixed per
 * (seed, expert, question): asking the same expert again does not make it know more.
 */
export function expertQuality(profile: SimulatedExpertProfile, fidelity: number, seed: number | string, question: Question): number {
  const knowledge = createRng(`${seed}|${profile.name}|${question.id}|knowledge`).normal();
  const difficulty = createRng(`${seed}|${question.id}|difficulty`).normal();
  const q = fidelity * domainCompetence(profile, question.domain) - QUALITY_OFFSET + profile.noise * knowledge - QUESTION_DIFFICULTY_SPREAD * difficulty;
  return Math.min(1, Math.max(0, q));
}

/** What a simulated expert writes for a question without a reference: on-topic padding, no content. */
function answerWithoutReference(question: Question, seed: string): string {
  const rng = createRng(seed);
  const padding = DOMAIN_PADDING[question.domain?.toLowerCase() ?? ''] ?? DOMAIN_PADDING.default;
  const first = padding[rng.int(padding.length)];
  const second = padding[rng.int(padding.length)];
  return [first, second === first ? '' : second, CLOSINGS[rng.int(CLOSINGS.length)]].filter(Boolean).join(' ');
}

/** Write the answer of one simulated call (exported for the calibration script and tests). */
export function simulateAnswer(
  profile: SimulatedExpertProfile,
  fidelity: number,
  seed: number | string,
  request: Pick<ExpertRequest, 'question' | 'previous' | 't'>,
): string {
  const { question, previous, t } = request;
  const callSeed = `${seed}|${profile.name}|${question.id}|${t}|${previous ?? ''}`;
  if (!question.output) return answerWithoutReference(question, callSeed);
  return writeAnswer({
    profile,
    quality: expertQuality(profile, fidelity, seed, question),
    reference: question.output,
    domain: question.domain?.toLowerCase() ?? 'default',
    questionText: questionText(question),
    previous,
    knowledge: createRng(`${seed}|${profile.name}|${question.id}|knows`),
    rng: createRng(callSeed),
  });
}

export function createSimulatedPool(options: SimulatedPoolOptions): ExpertPool {
  const profiles = options.experts ?? DEFAULT_SIMULATED_EXPERTS;
  if (!profiles.length) throw new Error('createSimulatedPool: the expert list is empty; pass at least one profile or omit `experts` for the default pool');
  const fidelities = profiles.map((p) => options.fidelity?.[p.name] ?? defaultFidelity(p.name));
  const experts = profiles.map((p) => ({ name: p.name, sizeB: p.sizeB, kind: 'simulated' }));
  return {
    experts,
    knowledgeTransfer: true,
    simulated: true,
    async call(expertIndex: number, request: ExpertRequest): Promise<ExpertReply> {
      const profile = profiles[expertIndex];
      if (!profile) throw new Error(`simulated pool: no expert at index ${expertIndex} (the pool has ${profiles.length}: 0..${profiles.length - 1})`);
      const answer = simulateAnswer(profile, fidelities[expertIndex], options.seed, request);
      return {
        answer,
        usage: { promptTokens: approxTokens(request.prompt), completionTokens: approxTokens(answer) },
        latencyMs: 0,
      };
    },
  };
}
