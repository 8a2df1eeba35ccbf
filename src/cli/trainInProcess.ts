// Training inside another command (eval's --seeds and --sweep): the same loop as `npm run train`,
// without a run file, on a session that is already assembled.
import { Trainer } from '../session/trainer';
import type { IterationRecord } from '../der/runRecord';
import type { Session } from '../session/session';
import type { EpisodeRecord } from '../der/runRecord';

export interface InProcessTrainingEvents {
  onEpisode?(episode: EpisodeRecord): void;
  onIteration?(report: IterationRecord): void;
}

/** Train `session.agent` on `session.train` for `session.config.iterations` iterations. */
export async function trainInProcess(session: Session, events: InProcessTrainingEvents = {}): Promise<IterationRecord[]> {
  const { config } = session;
  const trainer = new Trainer(config, session.train, session, { onEpisode: events.onEpisode });
  const reports: IterationRecord[] = [];
  for (let it = 0; it < config.iterations; it++) {
    while (trainer.pendingEpisodes < config.ppo.episodesPerIteration) {
      await trainer.collect(Math.min(config.ppo.episodesPerIteration - trainer.pendingEpisodes, session.concurrency));
    }
    const report = await trainer.update();
    reports.push(report);
    events.onIteration?.(report);
  }
  return reports;
}
