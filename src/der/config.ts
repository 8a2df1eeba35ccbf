// The experiment config: one serialisable object that fully describes a run (TensorFlow
// Playground style). Validated with zod so that a bad value gets a message naming it.
import { z } from 'zod';

export const KTP_REFERENCE_TEMPLATE =
  "{question} \nThese are the answers to the question from other student: \n{previous} \nUsing other student's answers as additional advice, you need to give a more satisfactory answer directly. DO NOT mention other students.";

export const KTP_PAPER_TEMPLATE = "Answer the question {question} with reference to another student's answer: {previous}";

const nonNegative = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .finite(`${what} must be finite`)
    .min(0, `${what} must be ≥ 0`);
const probability = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .min(0, `${what} must be ≥ 0`)
    .max(1, `${what} must be ≤ 1`);
/** Why a pool needs two experts, in the user's terms (the panel, pool files, the CLI and the session say it). */
export const POOL_TOO_SMALL =
  'a pool needs at least two experts: the agent learns which expert to ask, so with one there is nothing to choose. Add a second expert';

const positiveInt = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(1, `${what} must be ≥ 1`);

/** The paper's reward knobs. gamma is the reward bias, NOT the PPO discount. */
export const RewardConfigSchema = z.object({
  /** α: cost per billion parameters of the called expert. */
  alpha: nonNegative('α (alpha)'),
  /** β: weight of the BERTScore increment ΔP. */
  beta: nonNegative('β (beta)'),
  /** γ: terminal bias, +γ on success (P ≥ p0), −γ at the step limit without success. */
  gamma: nonNegative('γ (gamma)'),
  /** p0: the success threshold on the raw score. */
  p0: probability('p0'),
  /** Tmax: the maximum number of expert calls per episode. */
  tmax: positiveInt('Tmax').max(20, 'Tmax must be ≤ 20'),
  /**
   * "paper": the paper's r_t = P_t − α·C_t + β·ΔP_t ± γ (pays P every step, so long routes earn more).
   * "final": a departure — the return is β·(P_final − p0) ± γ − α·ΣC, paid as potential differences
   * (see der/reward.ts). Old configs without the field are the paper's.
   */
  form: z.enum(['paper', 'final']).default('paper'),
});
export type RewardForm = 'paper' | 'final';
/** A reward config; `form` may be left out in code (absent = the paper's form, as the schema's default). */
export type RewardConfig = Omit<z.infer<typeof RewardConfigSchema>, 'form'> & { form?: RewardForm };

export const PpoConfigSchema = z.object({
  /** PPO discount (the reference code's 0.95). Not the paper's γ. */
  discount: probability('discount'),
  /** "mc": Monte-Carlo return − V(s) (reference); "gae": generalised advantage estimation. */
  advantage: z.enum(['mc', 'gae']),
  gaeLambda: probability('GAE λ'),
  normalizeAdvantages: z.boolean(),
  clipRange: z.number().gt(0, 'clip range must be > 0').max(1, 'clip range must be ≤ 1'),
  /** Clip the value loss around the old value (CleanRL's clip_vloss). */
  clipValueLoss: z.boolean(),
  entropyCoef: nonNegative('entropy coefficient'),
  valueCoef: nonNegative('value coefficient'),
  /** Gradient-norm clip (global, or per network with gradClipPerNetwork); 0 turns it off. */
  maxGradNorm: nonNegative('max gradient norm'),
  /**
   * Clip the actor's and the critic's gradient norms separately, each to maxGradNorm, instead of
   * one shared norm (which lets the critic's large gradient shrink the actor's). Departs from CleanRL.
   */
  gradClipPerNetwork: z.boolean().default(false),
  /**
   * Value normalisation (PopArt-lite): the critic learns returns standardised by a running mean/sd
   * of all returns seen; its head is rescaled when the statistics change so V(s) is preserved.
   */
  valueNormalization: z.boolean().default(false),
  /**
   * Running state standardisation: (s − mean)/sd per feature, clipped to ±10, with statistics
   * updated after each PPO update and saved with the weights (SB3 VecNormalize-style).
   */
  normalizeStates: z.boolean().default(false),
  actorLr: z.number().gt(0, 'actor learning rate must be > 0').max(1),
  criticLr: z.number().gt(0, 'critic learning rate must be > 0').max(1),
  adamEps: z.number().gt(0, 'Adam eps must be > 0'),
  /** Linearly anneal the learning rates to 0 over the run. */
  annealLr: z.boolean(),
  /** Episodes collected per iteration (the reference: 32 questions, one episode each). */
  episodesPerIteration: positiveInt('episodes per iteration'),
  /**
   * "sampled-episodes": the reference scheme — `gradientSteps` steps, each on `episodesPerStep`
   * episodes sampled from the iteration's episodes.
   * "minibatch-epochs": CleanRL — `updateEpochs` passes over all transitions in `minibatches` shuffled minibatches.
   */
  batching: z.enum(['sampled-episodes', 'minibatch-epochs']),
  gradientSteps: positiveInt('gradient steps'),
  episodesPerStep: positiveInt('episodes per step'),
  updateEpochs: positiveInt('update epochs'),
  minibatches: positiveInt('minibatches'),
  /** Orthogonal weight init (gain √2 hidden, 0.01 actor out, 1 critic out) instead of Glorot. */
  orthogonalInit: z.boolean(),
  hiddenSizes: z.array(positiveInt('hidden size')).min(1, 'at least one hidden layer').max(4),
  activation: z.enum(['tanh', 'relu']),
  /** Stop the update epochs early when approx KL exceeds this; 0 turns it off. */
  targetKl: nonNegative('target KL'),
  // No `referenceQuirks`: reproducing the reference code's defects (cross-episode returns, the L×L
  // log-prob broadcast) was never implemented and is not wanted. Configs saved with the field still
  // parse (zod drops keys it does not know).
});
export type PpoConfig = z.infer<typeof PpoConfigSchema>;

/** What the agent's state holds besides the encoded `Question:… Answer:…` text. */
export const StateConfigSchema = z.object({
  /**
   * Append the route so far (step index one-hot, last expert one-hot, experts already called
   * multi-hot; see der/routeContext.ts) to the encoded text. A departure from the paper, whose
   * state is the text only. Old configs without the field have it off.
   */
  routeContext: z.boolean().default(false),
});
export type StateConfig = z.infer<typeof StateConfigSchema>;

export const KtpConfigSchema = z
  .object({
    template: z.enum(['reference', 'paper', 'custom']),
    custom: z.string(),
  })
  .refine((k) => k.template !== 'custom' || (k.custom.includes('{question}') && k.custom.includes('{previous}')), {
    message: 'a custom KTP template must contain both {question} and {previous}',
    path: ['custom'],
  });
export type KtpConfig = z.infer<typeof KtpConfigSchema>;

/** One expert entry of a pool file. API keys never live here. */
export const ExpertSpecSchema = z.object({
  name: z.string().min(1, 'expert name must not be empty'),
  kind: z.enum(['simulated', 'openai', 'browser', 'recorded']),
  sizeB: z.number().positive('sizeB (size in billions) must be > 0'),
  model: z.string().optional(),
  baseURL: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** USD per 1M prompt / completion tokens, to show money spent. */
  pricePromptPerM: z.number().min(0).optional(),
  priceCompletionPerM: z.number().min(0).optional(),
  /** For browser experts: the ONNX weights variant (fp32 = onnx/model.onnx, q8 = model_quantized, q4, q4f16…); default by device. */
  dtype: z.enum(['fp32', 'fp16', 'q8', 'q4', 'q4f16']).optional(),
  /** For recorded experts: the candidate's `model` name in the dataset. */
  candidate: z.string().optional(),
  /** The environment variable the CLI reads this expert's API key from (default: the provider's, else OPENAI_API_KEY). */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'apiKeyEnv must be an environment variable name')
    .optional(),
});
export type ExpertSpec = z.infer<typeof ExpertSpecSchema>;

export const PoolConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('simulated') }),
  z.object({ kind: z.literal('custom'), experts: z.array(ExpertSpecSchema).min(1, 'a pool needs at least one expert') }),
]);
export type PoolConfig = z.infer<typeof PoolConfigSchema>;

export const DatasetConfigSchema = z.object({
  /** "sample" is the bundled dataset; anything else names a user file. */
  source: z.string().min(1),
  testFraction: probability('test fraction'),
  splitSeed: z.number().int(),
});
export type DatasetConfig = z.infer<typeof DatasetConfigSchema>;

export const ExperimentConfigSchema = z.object({
  preset: z.enum(['reference', 'tuned', 'custom']),
  seed: z.number({ error: 'seed must be a number' }).int('seed must be a whole number'),
  reward: RewardConfigSchema,
  ppo: PpoConfigSchema,
  ktp: KtpConfigSchema,
  /** "threshold": stop when P ≥ p0 (needs a reference). "learned": an extra STOP action. Tmax always applies. */
  stopRule: z.enum(['threshold', 'learned']),
  pool: PoolConfigSchema,
  dataset: DatasetConfigSchema,
  scorer: z.string().min(1),
  encoder: z.string().min(1),
  state: StateConfigSchema.default({ routeContext: false }),
  iterations: positiveInt('iterations'),
});
export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid experiment config:\n- ${issues.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

/** Validate an unknown value as an experiment config; throws ConfigError naming every bad field. */
export function parseConfig(value: unknown): ExperimentConfig {
  const result = ExperimentConfigSchema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}
