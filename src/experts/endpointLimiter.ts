// Per-endpoint throttles: at most N requests in flight and at most R request starts per minute.
// Providers rate-limit per key/endpoint, not per model, so experts sharing a base URL share these.
import type { Clock } from './clock';

/** A FIFO counting semaphore. `acquire` resolves with a release function (call it exactly once). */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`concurrency limit must be ≥ 1 (got ${limit})`);
  }

  get inFlight(): number {
    return this.active;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.limit) {
      this.active += 1;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(wake);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(wake);
    });
    // The slot was handed over by release(): `active` already counts it.
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    };
  }
}

/** A sliding one-minute window of request starts. */
export class RequestsPerMinute {
  private readonly starts: number[] = [];
  constructor(
    readonly limit: number,
    private readonly clock: Clock,
  ) {}

  /** Waits (in the clock's time) until one more request may start, then records it. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.starts.length > 0 && this.starts[0] <= now - 60_000) this.starts.shift();
      if (this.starts.length < this.limit) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep(this.starts[0] + 60_000 - now, signal);
    }
  }
}

export interface EndpointLimits {
  /** Requests in flight at once per endpoint (≥ 1). */
  maxConcurrent: number;
  /** Request starts per minute per endpoint; 0 = no limit. */
  requestsPerMinute: number;
}

export function endpointKey(baseURL: string): string {
  return baseURL.trim().replace(/\/+$/, '').toLowerCase();
}

/** Hands out a slot for one request to an endpoint, respecting its concurrency and rate limits. */
export class EndpointLimiter {
  private readonly semaphores = new Map<string, Semaphore>();
  private readonly rates = new Map<string, RequestsPerMinute>();

  constructor(
    private readonly defaults: EndpointLimits,
    private readonly clock: Clock,
    private readonly overrides: Record<string, Partial<EndpointLimits>> = {},
  ) {}

  limitsFor(baseURL: string): EndpointLimits {
    const key = endpointKey(baseURL);
    const override = Object.entries(this.overrides).find(([url]) => endpointKey(url) === key)?.[1] ?? {};
    return { ...this.defaults, ...override };
  }

  /** Resolves with a release function once a request to `baseURL` may be sent. */
  async acquire(baseURL: string, signal?: AbortSignal): Promise<() => void> {
    const key = endpointKey(baseURL);
    const limits = this.limitsFor(baseURL);
    let semaphore = this.semaphores.get(key);
    if (!semaphore) this.semaphores.set(key, (semaphore = new Semaphore(limits.maxConcurrent)));
    const release = await semaphore.acquire(signal);
    try {
      if (limits.requestsPerMinute > 0) {
        let rate = this.rates.get(key);
        if (!rate) this.rates.set(key, (rate = new RequestsPerMinute(limits.requestsPerMinute, this.clock)));
        await rate.take(signal);
      }
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }
}
