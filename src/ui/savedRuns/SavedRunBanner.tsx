// Above the charts: after a reload, the run that was on screen comes back from storage (charts
// filled from IndexedDB) and this banner says so and offers "Resume run". It also shows when the
// live run could not be saved (storage full), while training goes on.
import { useEffect } from 'react';
import { rememberedOpenRun, useTrainingStore } from '../../store/trainingStore';
import { isResumable, keptOfTotal, runsDbAvailable } from '../../store/runsStore';
import './runs.css';

let restoreTried = false;

/** Show the run that was open before the reload (once per page, and only if nothing else started). */
async function restoreOpenRun(): Promise<void> {
  if (restoreTried || !runsDbAvailable()) return;
  restoreTried = true;
  const runId = rememberedOpenRun();
  if (!runId || useTrainingStore.getState().state !== 'idle') return;
  try {
    await useTrainingStore.getState().openSavedRun(runId);
  } catch {
    /* the remembered run was deleted: open empty, as on a first visit */
  }
}

export function SavedRunBanner() {
  const savedRun = useTrainingStore((s) => s.savedRun);
  const storageMessage = useTrainingStore((s) => s.storageMessage);
  const resumeSavedRun = useTrainingStore((s) => s.resumeSavedRun);

  useEffect(() => {
    void restoreOpenRun();
  }, []);

  return (
    <>
      {savedRun && (
        <section className="saved-run-banner" aria-label="Saved run" data-testid="saved-run-banner">
          <p>
            Showing saved run <b>{savedRun.name}</b>: <span data-testid="saved-run-status">{savedRun.status}</span> after {savedRun.iterationCount} of{' '}
            {savedRun.header.config.iterations} iterations,{' '}
            {keptOfTotal(savedRun)
              ? `${keptOfTotal(savedRun)} saved (the latest iterations whole, a seeded sample of older ones; metrics whole).`
              : `${savedRun.episodeCount} episodes saved.`}
            {isResumable(savedRun) && savedRun.episodeCount > 0 && ' Resuming keeps the finished iterations and asks the questions of an unfinished one again.'}
            {!isResumable(savedRun) &&
              savedRun.status !== 'finished' &&
              savedRun.iterationCount < savedRun.header.config.iterations &&
              ' It has no saved agent weights: attach a weights file in the Runs tab to resume it.'}
          </p>
          {isResumable(savedRun) && (
            <button type="button" className="primary" onClick={() => void resumeSavedRun(savedRun.id)}>
              Resume run
            </button>
          )}
        </section>
      )}
      {storageMessage && (
        <p className="storage-warning" role="alert" data-testid="storage-warning">
          {storageMessage}
        </p>
      )}
    </>
  );
}
