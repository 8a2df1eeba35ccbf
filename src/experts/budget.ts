// Hard budgets on calls, tokens and money. A call RESERVES its worst case before it is sent and
// settles with the real usage afterwards, so the limits hold even with many calls in flight: the sum
// of what was spent and what is reserved never exceeds a limit.

export interface BudgetLimits {
  /** HTTP requests sent (retries count: each may be billed). */
  maxCalls?: number;
  /** Prompt + completion tokens. */
  maxTokens?: number;
  maxCostUSD?: number;
}

export interface BudgetAmount {
  calls: number;
  tokens: number;
  costUSD: number;
}

export type BudgetLimitName = 'calls' | 'tokens' | 'costUSD';

const LIMIT_OF: Record<BudgetLimitName, keyof BudgetLimits> = { calls: 'maxCalls', tokens: 'maxTokens', costUSD: 'maxCostUSD' };
const LABEL: Record<BudgetLimitName, string> = { calls: 'calls', tokens: 'tokens', costUSD: 'money (USD)' };

/** Thrown before a call is sent when it could exceed a budget. Training pauses on it. */
export class BudgetExceededError extends Error {
  constructor(
    readonly limit: BudgetLimitName,
    readonly max: number,
    readonly spent: number,
    readonly reserved: number,
    readonly requested: number,
  ) {
    const fmt = (x: number) => (limit === 'costUSD' ? `$${x.toFixed(4)}` : String(Math.round(x * 1000) / 1000));
    super(
      `Budget for ${LABEL[limit]} reached: the next call needs up to ${fmt(requested)} but ${fmt(spent)} of the ${fmt(max)} are spent` +
        `${reserved > 0 ? ` and ${fmt(reserved)} are held by calls in flight` : ''}. ` +
        'The call was not sent. Raise the budget to continue' +
        (limit === 'tokens' || limit === 'costUSD' ? ' (or lower maxTokens: each call reserves its max_tokens plus a prompt estimate).' : '.'),
    );
    this.name = 'BudgetExceededError';
  }
}

const ZERO: BudgetAmount = { calls: 0, tokens: 0, costUSD: 0 };

/** UTF-8 bytes + chat-template overhead: an upper bound on prompt tokens for byte-level tokenizers. */
export function promptTokenUpperBound(prompt: string): number {
  return new TextEncoder().encode(prompt).length + 32;
}

export class Budget {
  private spentAmount: BudgetAmount = { ...ZERO };
  private reservedAmount: BudgetAmount = { ...ZERO };

  constructor(readonly limits: BudgetLimits = {}) {
    for (const [key, value] of Object.entries(limits)) {
      if (value !== undefined && !(typeof value === 'number' && value >= 0)) throw new Error(`budget ${key} must be a number ≥ 0 (got ${String(value)})`);
    }
  }

  get spent(): BudgetAmount {
    return { ...this.spentAmount };
  }

  get reserved(): BudgetAmount {
    return { ...this.reservedAmount };
  }

  /** What is left of each limit after spending and reservations (Infinity where unlimited). */
  remaining(): BudgetAmount {
    const left = (name: BudgetLimitName) => {
      const max = this.limits[LIMIT_OF[name]];
      return max === undefined ? Infinity : max - this.spentAmount[name] - this.reservedAmount[name];
    };
    return { calls: left('calls'), tokens: left('tokens'), costUSD: left('costUSD') };
  }

  /** Hold `amount` for one call, or throw BudgetExceededError (nothing is held then). */
  reserve(amount: BudgetAmount): BudgetReservation {
    for (const name of ['calls', 'tokens', 'costUSD'] as const) {
      const max = this.limits[LIMIT_OF[name]];
      if (max === undefined) continue;
      // A tiny tolerance so that float sums of prices do not refuse the exact last cent.
      if (this.spentAmount[name] + this.reservedAmount[name] + amount[name] > max + 1e-12) {
        throw new BudgetExceededError(name, max, this.spentAmount[name], this.reservedAmount[name], amount[name]);
      }
    }
    add(this.reservedAmount, amount, 1);
    return new BudgetReservation(this, amount);
  }

  /** @internal used by BudgetReservation */
  _settle(reserved: BudgetAmount, actual: BudgetAmount): void {
    add(this.reservedAmount, reserved, -1);
    add(this.spentAmount, actual, 1);
  }
}

export class BudgetReservation {
  private open = true;
  constructor(
    private readonly budget: Budget,
    readonly amount: BudgetAmount,
  ) {}

  /** The call finished: count what it really used (missing parts count as reserved). */
  settle(actual: Partial<BudgetAmount>): void {
    this.close({ calls: actual.calls ?? this.amount.calls, tokens: actual.tokens ?? this.amount.tokens, costUSD: actual.costUSD ?? this.amount.costUSD });
  }

  /** The request was sent but failed with an HTTP error: it counts as a call, used no tokens. */
  settleAsRefused(): void {
    this.close({ calls: this.amount.calls, tokens: 0, costUSD: 0 });
  }

  /** The request may have been processed (timeout, dropped connection): count all of it. */
  settleAsReserved(): void {
    this.close(this.amount);
  }

  /** Nothing was sent. */
  cancel(): void {
    this.close(ZERO);
  }

  private close(actual: BudgetAmount): void {
    if (!this.open) return;
    this.open = false;
    this.budget._settle(this.amount, actual);
  }
}

function add(target: BudgetAmount, delta: BudgetAmount, sign: 1 | -1): void {
  target.calls += sign * delta.calls;
  target.tokens += sign * delta.tokens;
  target.costUSD += sign * delta.costUSD;
}
