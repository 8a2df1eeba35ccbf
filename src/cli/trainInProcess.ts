// Training inside another command (eval's --seeds and --sweep): the same loop as `npm run train`,
// without a run file, on a session that is already assembled.
import { Trainer, type IterationReport } from '../session/trainer';
import type { Session } from '../session/session';
import type { EpisodeRecord } from '../der/runRecord';

export interface InProcessTrainingEvents {
  onEpisode?(episode: EpisodeRecord): void;
  onIteration?(report: IterationReport): void;
}

/** Train `session.agent` on `session.train` for `session.config.iterations` iterations. */
export async function trainInProcess(session: Session, events: InProcessTrainingEvents = {}): Promise<IterationReport[]> {
  const { config } = session;
  const trainer = new Trainer(config, session.train, session, { onEpisode: events.onEpisode });
  const reports: IterationReport[] = [];
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
