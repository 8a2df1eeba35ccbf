// How one expert call is carried out over the network: wait for an endpoint slot (concurrency and
// requests-per-minute), send with a per-request timeout, retry 429 / 5xx / timeouts / dropped
// connections with exponential backoff and jitter (honouring Retry-After), and cool an expert down
// after K consecutive failed requests.
import { realClock, type Clock } from './clock';
import { CooldownTracker } from './cooldown';
import { EndpointLimiter, type EndpointLimits } from './endpointLimiter';
import { ExpertCallError } from './expertErrors';
import { retryAfterDelayMs } from './retryAfter';

export interface CallLimits {
  /** Per-request timeout (ms), from sending to the last byte of the answer. */
  timeoutMs: number;
  /** Retries after the first attempt (so at most maxRetries + 1 requests per call). */
  maxRetries: number;
  /** Backoff before retry n (0-based) is drawn from [cap/2, cap], cap = min(maxDelayMs, baseDelayMs·2ⁿ). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails with the server's message. */
  maxRetryAfterMs: number;
  /** K consecutive failed requests to one expert start its cooldown. */
  failuresBeforeCooldown: number;
  cooldownMs: number;
  maxConcurrentPerEndpoint: number;
  /** 0 = no limit. */
  requestsPerMinutePerEndpoint: number;
  /** Per-endpoint exceptions, keyed by base URL. */
  perEndpoint?: Record<string, Partial<EndpointLimits>>;
}

export const DEFAULT_CALL_LIMITS: CallLimits = {
  timeoutMs: 120_000,
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
  failuresBeforeCooldown: 5,
  // A few seconds, as LiteLLM's router does: long enough to stop hammering a failing endpoint, short
  // enough that the trainer can wait it out instead of pausing the run (session/failurePolicy.ts).
  cooldownMs: 5_000,
  maxConcurrentPerEndpoint: 4,
  requestsPerMinutePerEndpoint: 0,
};

export interface CallPolicyDeps {
  clock?: Clock;
  /** Uniform [0, 1) source for jitter. */
  random?: () => number;
  /** Called before each backoff wait (for progress display and tests). */
  onRetry?: (info: { expert: string; attempt: number; delayMs: number; error: ExpertCallError }) => void;
}

export interface CallTarget {
  expert: string;
  baseURL: string;
}

/** Backoff before retry `retryIndex` (0-based), with "equal jitter": never less than half the cap. */
export function backoffDelayMs(retryIndex: number, limits: Pick<CallLimits, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const cap = Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** retryIndex);
  return cap / 2 + (random() * cap) / 2;
}

export class CallPolicy {
  readonly limits: CallLimits;
  readonly cooldown: CooldownTracker;
  readonly limiter: EndpointLimiter;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly onRetry?: CallPolicyDeps['onRetry'];

  constructor(limits: Partial<CallLimits> = {}, deps: CallPolicyDeps = {}) {
    this.limits = { ...DEFAULT_CALL_LIMITS, ...limits };
    this.clock = deps.clock ?? realClock;
    this.random = deps.random ?? Math.random;
    this.onRetry = deps.onRetry;
    this.cooldown = new CooldownTracker(this.limits, this.clock);
    this.limiter = new EndpointLimiter(
      { maxConcurrent: this.limits.maxConcurrentPerEndpoint, requestsPerMinute: this.limits.requestsPerMinutePerEndpoint },
      this.clock,
      this.limits.perEndpoint,
    );
  }

  /**
   * Run `attempt` (one HTTP request) under the policy. Errors other than ExpertCallError (e.g. a
   * BudgetExceededError raised inside the attempt) pass through at once and count as no failure.
   */
  async run<T>(target: CallTarget, attempt: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let retryIndex = 0; ; retryIndex++) {
      this.cooldown.check(target.expert);
      const release = await this.limiter.acquire(target.baseURL, signal);
      let error: ExpertCallError;
      try {
        const result = await this.withTimeout(target, attempt, signal);
        this.cooldown.recordSuccess(target.expert);
        return result;
      } catch (thrown) {
        if (!(thrown instanceof ExpertCallError) || thrown.kind === 'aborted' || thrown.kind === 'cooling-down') throw thrown;
        error = thrown;
      } finally {
        release();
      }

      const startedCooldown = this.cooldown.recordFailure(target.expert, error.message);
      if (startedCooldown) {
        throw withNote(
          error,
          `Expert "${target.expert}" now cools down for ${(this.limits.cooldownMs / 1000).toFixed(1)} s after ${this.cooldown.consecutiveFailures(target.expert)} consecutive failed requests.`,
        );
      }
      if (!error.retryable) throw error;
      if (retryIndex >= this.limits.maxRetries) throw withNote(error, `Gave up after ${retryIndex + 1} attempts.`);

      const askedMs = retryAfterDelayMs(error.retryAfter, this.clock.now());
      if (askedMs !== undefined && askedMs > this.limits.maxRetryAfterMs) {
        throw withNote(
          error,
          `Not retried: the server asks to wait ${(askedMs / 1000).toFixed(1)} s, more than the ${(this.limits.maxRetryAfterMs / 1000).toFixed(1)} s allowed (maxRetryAfterMs).`,
        );
      }
      const delayMs = Math.max(askedMs ?? 0, backoffDelayMs(retryIndex, this.limits, this.random));
      this.onRetry?.({ expert: target.expert, attempt: retryIndex + 1, delayMs, error });
      await this.clock.sleep(delayMs, signal);
    }
  }

  private async withTimeout<T>(target: CallTarget, attempt: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
    const controller = new AbortController();
    const timeoutMs = this.limits.timeoutMs;
    // Real time on purpose: the timeout bounds a real network request, whatever clock the backoff uses.
    const timer = setTimeout(
      () =>
        controller.abort(
          new ExpertCallError(
            `Expert "${target.expert}" (${target.baseURL}): no complete answer within ${timeoutMs} ms (timeoutMs); the request was cancelled.`,
            'timeout',
            target.expert,
          ),
        ),
      timeoutMs,
    );
    const onOuterAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) onOuterAbort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      return await attempt(controller.signal);
    } catch (error) {
      // An attempt that ignores the signal's reason still reports the timeout as a timeout.
      if (controller.signal.aborted && controller.signal.reason instanceof ExpertCallError && !(error instanceof ExpertCallError))
        throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }
}

function withNote(error: ExpertCallError, note: string): ExpertCallError {
  return new ExpertCallError(`${error.message} ${note}`, error.kind, error.expert, { ...error.details, cause: error });
}
