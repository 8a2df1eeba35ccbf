// Remembers when a budget refused a call, so a training loop can pause with the budget's message
// (the episode runner only records the refused step as a failed episode).
import type { ExpertPool, ExpertReply, ExpertRequest } from '../der/types';
import { errorMessage } from '../der/errorMessage';

export interface HaltingPool {
  pool: ExpertPool;
  /** The message of the first budget refusal, or null while every budget has room. */
  haltReason(): string | null;
}

export function withBudgetHalt(inner: ExpertPool): HaltingPool {
  let reason: string | null = null;
  const pool: ExpertPool = {
    experts: inner.experts,
    knowledgeTransfer: inner.knowledgeTransfer,
    simulated: inner.simulated,
    ...(inner.health ? { health: () => inner.health!() } : {}),
    ...(inner.resetHealth ? { resetHealth: () => inner.resetHealth!() } : {}),
    async call(expertIndex: number, request: ExpertRequest): Promise<ExpertReply> {
      try {
        return await inner.call(expertIndex, request);
      } catch (error) {
        if ((error as Error)?.name === 'BudgetExceededError') reason ??= errorMessage(error);
        throw error;
      }
    },
  };
  return { pool, haltReason: () => reason };
}
