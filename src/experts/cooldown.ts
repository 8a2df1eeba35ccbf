// A per-expert circuit breaker: after K consecutive failed requests the expert is skipped (calls
// fail fast) for a cooldown period, so a dead or throttled server does not eat the run's time.
// When the period ends one request is let through; one more failure starts a new cooldown.
import type { Clock } from './clock';
import { ExpertCallError } from './expertErrors';

export interface CooldownSettings {
  /** K: consecutive failed requests that start a cooldown (≥ 1). */
  failuresBeforeCooldown: number;
  cooldownMs: number;
}

interface ExpertHealth {
  consecutiveFailures: number;
  coolingUntil: number;
  /** What the last failed request said, so a skipped call still names the cause. */
  lastFailure?: string;
}

export class CooldownTracker {
  private readonly health = new Map<string, ExpertHealth>();
  constructor(
    private readonly settings: CooldownSettings,
    private readonly clock: Clock,
  ) {}

  private get(expert: string): ExpertHealth {
    let h = this.health.get(expert);
    if (!h) this.health.set(expert, (h = { consecutiveFailures: 0, coolingUntil: 0 }));
    return h;
  }

  /** Milliseconds of cooldown left for `expert` (0 when it may be called). */
  remainingMs(expert: string): number {
    return Math.max(0, this.get(expert).coolingUntil - this.clock.now());
  }

  /** Throws a 'cooling-down' ExpertCallError while the expert is cooling down. */
  check(expert: string): void {
    const left = this.remainingMs(expert);
    if (left > 0) {
      const h = this.get(expert);
      throw new ExpertCallError(
        `Expert "${expert}" is cooling down for another ${(left / 1000).toFixed(1)} s after ${h.consecutiveFailures} consecutive failed requests; it is skipped until then.` +
          (h.lastFailure ? ` Last failure: ${h.lastFailure}` : ''),
        'cooling-down',
        expert,
      );
    }
  }

  /** Records a failed request; returns true when this failure started a cooldown. */
  recordFailure(expert: string, reason?: string): boolean {
    const h = this.get(expert);
    h.consecutiveFailures += 1;
    if (reason) h.lastFailure = reason;
    if (h.consecutiveFailures >= this.settings.failuresBeforeCooldown && this.remainingMs(expert) === 0) {
      // The count is not reset, so after the period one more failure alone starts a new cooldown.
      h.coolingUntil = this.clock.now() + this.settings.cooldownMs;
      return true;
    }
    return false;
  }

  recordSuccess(expert: string): void {
    const h = this.get(expert);
    h.consecutiveFailures = 0;
    h.coolingUntil = 0;
  }

  consecutiveFailures(expert: string): number {
    return this.get(expert).consecutiveFailures;
  }

  /** What the expert's last failed request said (undefined after a success or before any failure). */
  lastFailure(expert: string): string | undefined {
    const h = this.get(expert);
    return h.consecutiveFailures > 0 ? h.lastFailure : undefined;
  }

  /** Forget every streak and cooldown (a user resuming a paused run wants each expert tried again). */
  reset(): void {
    this.health.clear();
  }
}
