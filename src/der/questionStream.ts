// The order in which a run asks its training questions: epoch after epoch, each a fresh seeded
// shuffle. Its state (the generator, the current epoch's order, the position in it) is saved with a
// run's weights, so a resumed run asks the same questions as one that never stopped.
import { shuffled, type Rng } from './rng';
import type { Question } from './types';

export interface QuestionStreamState {
  /** The shuffling generator's uint32 state. */
  rng: number;
  /** The current epoch's order, as question ids. */
  order: string[];
  /** How many of `order` were asked. */
  cursor: number;
}

export class QuestionStream {
  private order: Question[] = [];
  private cursor = 0;

  constructor(
    private readonly questions: readonly Question[],
    private readonly rng: Rng,
  ) {}

  next(): Question {
    if (this.cursor >= this.order.length) {
      this.order = shuffled(this.questions, this.rng);
      this.cursor = 0;
    }
    return this.order[this.cursor++];
  }

  getState(): QuestionStreamState {
    return { rng: this.rng.getState(), order: this.order.map((q) => q.id), cursor: this.cursor };
  }

  /** Continue from a getState result. Checks everything (the same questions, a valid position) before changing anything. */
  setState(value: unknown): void {
    const s = value as Partial<QuestionStreamState> | null;
    if (
      !s ||
      !Array.isArray(s.order) ||
      !Number.isInteger(s.cursor) ||
      s.cursor! < 0 ||
      s.cursor! > s.order.length ||
      !Number.isInteger(s.rng) ||
      s.rng! < 0 ||
      s.rng! > 0xffffffff
    ) {
      throw new Error('Saved question order is malformed (expected a uint32 rng, an order of question ids and a cursor within it).');
    }
    const byId = new Map(this.questions.map((q) => [q.id, q]));
    const order = s.order.map((id) => {
      const q = byId.get(id);
      if (!q)
        throw new Error(`Saved question order names question "${id}", which is not in this run's training split; the dataset changed since the run was saved.`);
      return q;
    });
    this.rng.setState(s.rng!);
    this.order = order;
    this.cursor = s.cursor!;
  }
}
