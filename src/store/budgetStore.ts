// Hard budgets for a custom pool's remote experts (max calls, tokens, USD), set in the page and
// handed to the worker at init. Not part of the experiment config: a budget limits spending on
// this device, it does not change what a run means (a link reproduces the run without it).
import { create } from 'zustand';
import type { BudgetLimitsInfo } from '../worker/protocol';
export type { BudgetLimitsInfo };

export interface BudgetStore {
  budget: BudgetLimitsInfo;
  /** Set one limit; undefined (an empty box) removes it. */
  setLimit(name: keyof BudgetLimitsInfo, value: number | undefined): void;
}

export const useBudgetStore = create<BudgetStore>((set, get) => ({
  budget: {},
  setLimit(name, value) {
    const budget = { ...get().budget };
    if (value === undefined || !Number.isFinite(value) || value < 0) delete budget[name];
    else budget[name] = value;
    set({ budget });
  },
}));

/** The budget for a new session (a copy: later edits apply to the next run). */
export function budgetForRun(): BudgetLimitsInfo {
  return { ...useBudgetStore.getState().budget };
}
