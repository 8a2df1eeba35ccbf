// What a run saves at the end of each iteration besides its weights, and how a resume puts it
// back: the agent's Adam moments, step counts and random streams, and the trainer's question
// order. The worker and the resume test use these same two functions, so that a run paused,
// saved, reloaded and resumed ends with exactly the weights of one that never stopped.
import type { AgentTrainingState } from '../agent/trainingState';
import type { WeightEntry } from '../agent/weightsIO';
import type { QuestionStreamState } from '../der/questionStream';
import type { Trainer } from './trainer';

export interface ResumeTrainingState {
  agent: AgentTrainingState;
  questions: QuestionStreamState;
}

/** The parts of PpoAgent a saved run reads and restores. */
export interface ResumableAgent {
  setWeights(weights: readonly WeightEntry[]): void;
  getTrainingState(): AgentTrainingState;
  setTrainingState(state: unknown): void;
}

/** Take the training state at the end of an iteration (right after the update, with the weights). */
export function captureTrainingState(trainer: Trainer, agent: ResumableAgent): ResumeTrainingState {
  return { agent: agent.getTrainingState(), questions: trainer.questionState() };
}

/**
 * Put a saved run back: weights, then the agent's training state, then the trainer's counters and
 * question order. A run saved without the training state (older runs) gets its weights and a
 * replayed question order: it resumes, with fresh Adam moments.
 */
export function restoreTraining(
  trainer: Trainer,
  agent: ResumableAgent,
  saved: { weights: readonly WeightEntry[] | null; training: ResumeTrainingState | null; iterations: number; episodesDone: number },
): void {
  if (saved.weights) agent.setWeights(saved.weights);
  if (saved.weights && saved.training) agent.setTrainingState(saved.training.agent);
  trainer.restoreProgress(saved.iterations, saved.episodesDone, saved.training?.questions);
}
