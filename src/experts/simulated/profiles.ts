// The default table of simulated experts: the 11 experts of the MixInstruct pool (names, sizes and
// index order of the reference code), each with a made-up but fixed character. The per-domain
// competence values are SHAPES (relative strengths); the overall level of each expert is the
// calibrated `fidelity` scalar (calibration.ts), fitted so that its mean first-answer score under
// the offline scorer matches the published MixInstruct BERTScore of the model it is named after.

/** How an expert writes, independent of how much it knows. All rates are in [0, 1]. */
export interface SimulatedStyle {
  /** Chance of a preamble ("Sure! Here is…") and of a closing line; also scales padding. */
  verbosity: number;
  /** Chance that a sentence starts with a hedge ("I think", "In general,"). */
  hedging: number;
  /** Chance that a correctly recalled word is written with a synonym instead (phrasing). */
  paraphrase: number;
  /** Of the reference sentences it does not know: the share it leaves out (the rest become one plausible wrong sentence). */
  omission: number;
  /** Of its errors on content words: the share that are near misses from the question or domain (the rest are synonyms). */
  relatedSubstitution: number;
  /** Chance of swapping two neighbouring sentences. */
  reorder: number;
  /** Chance of a non-answer ("I'm sorry, I cannot answer that.") when the expert knows nothing; fades as quality rises.
   *  The only fluent text that scores below unrelated text, so the weakest experts need a high value to reach their targets. */
  evasion: number;
  /** Largest share of the reference's sentences the expert ever writes (1 = no truncation). */
  maxSentenceShare: number;
  /** Preambles this expert likes (its signature phrasing); generic ones are added to these. */
  preambles: readonly string[];
}

export interface SimulatedExpertProfile {
  name: string;
  sizeB: number;
  /** Relative competence per domain, in [0, 1]; the shape that calibration keeps. */
  competence: Readonly<Record<string, number>>;
  /** Competence for a domain missing from `competence` (and for questions without a domain). */
  defaultCompetence: number;
  /** Skill at using the previous answer: keeping its good parts and not copying its errors. */
  transferSkill: number;
  /** Spread of the expert's per-question quality (standard deviation, on the quality scale). */
  noise: number;
  style: SimulatedStyle;
  /** Published MixInstruct test BERTScore (LLM-Blender's table) of the real model; the calibration target. */
  publishedBertScore: number;
}

/** Domains of the bundled sample dataset; other domains use each expert's defaultCompetence. */
export const SIMULATED_DOMAINS = ['arithmetic', 'science', 'programming', 'health', 'writing', 'geography'] as const;

const style = (s: Partial<SimulatedStyle> & Pick<SimulatedStyle, 'verbosity' | 'preambles'>): SimulatedStyle => ({
  hedging: 0.1,
  paraphrase: 0.05,
  omission: 0.4,
  relatedSubstitution: 0.6,
  reorder: 0.05,
  maxSentenceShare: 1,
  evasion: 0.1,
  ...s,
});

const competence = (arithmetic: number, science: number, programming: number, health: number, writing: number, geography: number) => ({
  arithmetic,
  science,
  programming,
  health,
  writing,
  geography,
});

/**
 * The 11 MixInstruct experts in the reference code's index order. Characters (made up, loosely
 * inspired by the real models' reputations): OpenAssistant writes and explains well but is weak at
 * arithmetic; chatglm and flan-t5 are terse and good at short factual and arithmetic answers;
 * Vicuna and moss are the coders; alpaca is the careful all-rounder; stablelm and baize pad their
 * answers; dolly and mpt are noisy.
 */
export const DEFAULT_SIMULATED_EXPERTS: readonly SimulatedExpertProfile[] = [
  {
    name: 'koala-7B',
    sizeB: 7,
    publishedBertScore: 0.6396,
    competence: competence(0.45, 0.7, 0.6, 0.8, 1.0, 0.7),
    defaultCompetence: 0.71,
    transferSkill: 0.5,
    noise: 0.12,
    style: style({ evasion: 0.6, verbosity: 0.5, hedging: 0.15, paraphrase: 0.08, preambles: ['Here is my answer.', 'Well, let me explain.'] }),
  },
  {
    name: 'Vicuna-13B',
    sizeB: 13,
    publishedBertScore: 0.696,
    competence: competence(0.55, 0.75, 1.0, 0.65, 0.85, 0.7),
    defaultCompetence: 0.75,
    transferSkill: 0.8,
    noise: 0.08,
    style: style({
      evasion: 0.25,
      verbosity: 0.65,
      hedging: 0.05,
      paraphrase: 0.08,
      preambles: ['Sure, here is a detailed answer.', 'Certainly! Let me walk you through it.'],
    }),
  },
  {
    name: 'alpaca-13B',
    sizeB: 13,
    publishedBertScore: 0.7146,
    competence: competence(0.75, 1.0, 0.65, 0.8, 0.6, 1.0),
    defaultCompetence: 0.8,
    transferSkill: 0.6,
    noise: 0.07,
    style: style({ evasion: 0.25, verbosity: 0.15, hedging: 0.03, paraphrase: 0.04, omission: 0.6, maxSentenceShare: 0.85, preambles: ['Answer:'] }),
  },
  {
    name: 'dolly-v2-12B',
    sizeB: 12,
    publishedBertScore: 0.6226,
    competence: competence(0.5, 0.9, 0.5, 0.8, 0.65, 0.85),
    defaultCompetence: 0.7,
    transferSkill: 0.35,
    noise: 0.16,
    style: style({
      evasion: 0.85,
      verbosity: 0.4,
      hedging: 0.2,
      paraphrase: 0.1,
      relatedSubstitution: 0.4,
      reorder: 0.15,
      maxSentenceShare: 0.8,
      preambles: ['This is a good question.'],
    }),
  },
  {
    name: 'baize-13B',
    sizeB: 13,
    publishedBertScore: 0.6557,
    competence: competence(0.5, 0.75, 0.6, 1.0, 0.85, 0.65),
    defaultCompetence: 0.73,
    transferSkill: 0.6,
    noise: 0.1,
    style: style({
      evasion: 0.45,
      verbosity: 0.8,
      hedging: 0.15,
      paraphrase: 0.06,
      preambles: ['Hello! Thank you for your question.', 'That is an interesting question.'],
    }),
  },
  {
    name: 'stablelm-7B',
    sizeB: 7,
    publishedBertScore: 0.6247,
    competence: competence(0.4, 0.65, 0.55, 0.7, 1.0, 0.6),
    defaultCompetence: 0.65,
    transferSkill: 0.35,
    noise: 0.13,
    style: style({
      evasion: 0.85,
      verbosity: 0.65,
      hedging: 0.2,
      paraphrase: 0.1,
      relatedSubstitution: 0.5,
      preambles: ['As an AI language model, I can try to help with this.', 'I am happy to help you with this.'],
    }),
  },
  {
    name: 'mpt-7B',
    sizeB: 7,
    publishedBertScore: 0.6321,
    competence: competence(0.75, 0.65, 0.9, 0.6, 0.7, 0.8),
    defaultCompetence: 0.73,
    transferSkill: 0.45,
    noise: 0.15,
    style: style({
      evasion: 0.7,
      verbosity: 0.35,
      hedging: 0.1,
      paraphrase: 0.06,
      relatedSubstitution: 0.45,
      reorder: 0.12,
      preambles: ['The answer is as follows.'],
    }),
  },
  {
    name: 'OpenAssistant-12B',
    sizeB: 12,
    publishedBertScore: 0.7468,
    competence: competence(0.35, 0.85, 0.6, 1.0, 1.0, 0.7),
    defaultCompetence: 0.75,
    transferSkill: 0.75,
    noise: 0.07,
    style: style({ evasion: 0.2, verbosity: 0.45, hedging: 0.05, paraphrase: 0.05, preambles: ['Here is what you need to know.'] }),
  },
  {
    name: 'flan-t5-xxl',
    sizeB: 11,
    publishedBertScore: 0.6492,
    competence: competence(1.0, 0.8, 0.35, 0.6, 0.4, 1.0),
    defaultCompetence: 0.69,
    transferSkill: 0.25,
    noise: 0.1,
    style: style({ evasion: 0.5, verbosity: 0, hedging: 0, paraphrase: 0.02, omission: 0.7, maxSentenceShare: 0.45, preambles: [] }),
  },
  {
    name: 'moss-16B',
    sizeB: 16,
    publishedBertScore: 0.6485,
    competence: competence(0.7, 0.7, 1.0, 0.55, 0.6, 0.6),
    defaultCompetence: 0.69,
    transferSkill: 0.55,
    noise: 0.11,
    style: style({
      evasion: 0.55,
      verbosity: 0.6,
      hedging: 0.1,
      paraphrase: 0.07,
      preambles: ['I am MOSS, and I will answer your question.', 'Sure, I can help with that.'],
    }),
  },
  {
    name: 'chatglm-6B',
    sizeB: 6,
    publishedBertScore: 0.7038,
    competence: competence(1.0, 0.8, 0.7, 0.75, 0.55, 0.8),
    defaultCompetence: 0.77,
    transferSkill: 0.65,
    noise: 0.08,
    style: style({ evasion: 0.25, verbosity: 0.3, hedging: 0.05, paraphrase: 0.05, omission: 0.5, maxSentenceShare: 0.9, preambles: ['Sure.'] }),
  },
];

/** Competence shape value of an expert for a domain (unknown or missing domains get the default). */
export function domainCompetence(profile: SimulatedExpertProfile, domain: string | undefined): number {
  if (domain === undefined) return profile.defaultCompetence;
  return profile.competence[domain.toLowerCase()] ?? profile.defaultCompetence;
}
