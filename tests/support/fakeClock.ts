// Virtual time for call-policy tests: sleep() records the wait, advances the clock and returns at
// once, so backoff, Retry-After, rate limits and cooldowns are checked without waiting.
import type { Clock } from '../../src/experts/clock';

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private t = Date.UTC(2025, 0, 1)) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
    await Promise.resolve();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
