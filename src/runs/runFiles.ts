// Export and import of saved runs as files: the run JSONL (the public run format of runRecordIO),
// metrics as CSV (one row per iteration), agent weights as JSON (weightsIO). Pure text in, text
// out; validation errors name the line (run files) or the entry (weights) and change nothing.
import { iterationLine, type EpisodeRecord, type IterationRecord, type RunLine } from '../der/runRecord';
import { flatIterationMetrics, parseRunFile, RunFileError, stripSecrets, toJsonl } from '../der/runRecordIO';
import { deserializeWeights, serializeWeights } from '../agent/weightsIO';
import { actionCount } from '../der/actions';
import { stripSecretsForUrl } from '../der/urlState';
import {
  defaultRunName,
  lastMeanReturn,
  newRunId,
  packWeights,
  unpackWeights,
  type PackedWeight,
  type SavedRunMeta,
  type StoredEpisode,
  type StoredIteration,
  type StoredWeights,
} from './savedRun';
import { errorMessage } from '../der/errorMessage';

/**
 * The run as a JSONL run file: header, then the episodes in order with each iteration's line
 * after its last episode (as the CLI writes it). Secrets are stripped: fields named like keys
 * (runRecordIO.toJsonl) and, in the header, values that look like credentials ("Bearer …", "sk-…").
 */
export function runToJsonl(meta: SavedRunMeta, episodes: readonly EpisodeRecord[], iterations: readonly IterationRecord[]): string {
  const header = stripSecretsForUrl(meta.header);
  // A run that sampled its episodes says so in its header: how, and how many are kept of how many.
  if (meta.retention && meta.episodesKept !== undefined && meta.episodesKept < meta.episodeCount) {
    const { maxEpisodes, latestIterations, seed } = meta.retention.settings;
    header.retention = { maxEpisodes, latestIterations, seed, kept: episodes.length, total: meta.episodeCount };
  }
  const lines: RunLine[] = [header];
  const pending = [...iterations].sort((a, b) => a.iteration - b.iteration);
  let next = 0;
  for (const episode of episodes) {
    while (next < pending.length && pending[next].iteration < episode.iteration) lines.push(iterationLine(pending[next++]));
    lines.push(episode);
  }
  while (next < pending.length) lines.push(iterationLine(pending[next++]));
  return toJsonl(lines);
}

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row per iteration: `iteration`, then every metric (summary, then `ppo_*`) in first-seen order; NaN is an empty cell. */
export function metricsCsv(iterations: readonly IterationRecord[]): string {
  const records = [...iterations].sort((a, b) => a.iteration - b.iteration).map((r) => ({ iteration: r.iteration, metrics: flatIterationMetrics(r) }));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    for (const key of Object.keys(r.metrics)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const rows = [['iteration', ...columns].map(csvCell).join(',')];
  for (const r of records) rows.push([r.iteration, ...columns.map((c) => r.metrics[c])].map(csvCell).join(','));
  return rows.join('\n') + '\n';
}

export interface ImportedRun {
  meta: SavedRunMeta;
  episodes: StoredEpisode[];
  iterations: StoredIteration[];
}

/**
 * A run file as a NEW saved run (fresh id: nothing existing is overwritten). Throws Error with a
 * message that names the file and line when the file is not a valid run file.
 */
export function importRunFile(text: string, fileName: string, now = new Date()): ImportedRun {
  let parsed;
  try {
    parsed = parseRunFile(text);
  } catch (err) {
    if (err instanceof RunFileError) throw new Error(`Import rejected (nothing was saved): ${fileName}, ${err.message}.`, { cause: err });
    throw err;
  }
  const header = stripSecretsForUrl(stripSecrets(parsed.header));
  const id = newRunId();
  const reports = parsed.iterations.sort((a, b) => a.iteration - b.iteration);
  const iterationCount = reports.length === 0 ? 0 : reports[reports.length - 1].iteration + 1;
  const meta: SavedRunMeta = {
    id,
    name: `${defaultRunName(header)} (imported from ${fileName})`,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    header,
    status: iterationCount >= header.config.iterations ? 'finished' : 'paused',
    // A run file that sampled its episodes says how many it recorded (its header's retention).
    episodeCount: header.retention ? header.retention.total : parsed.episodes.length,
    ...(header.retention ? { episodesKept: parsed.episodes.length } : {}),
    iterationCount,
    lastMeanReturn: lastMeanReturn(reports),
    optimizerSteps: reports.reduce((sum, r) => sum + (r.update?.gradSteps ?? 0), 0),
    hasWeights: false,
    cache: null,
    source: 'imported',
  };
  return {
    meta,
    episodes: parsed.episodes.map((record, position) => ({ runId: id, seq: header.retention ? record.index : position, record })),
    iterations: reports.map((report) => ({ runId: id, iteration: report.iteration, report })),
  };
}

/** The run's latest agent weights as a DER Workbench weights file (JSON). */
export function weightsToJson(weights: StoredWeights, meta: SavedRunMeta): string {
  return serializeWeights(unpackWeights(weights.entries), {
    ...weights.meta,
    run: meta.name,
    iterations: weights.iterations,
    optimizerSteps: weights.optimizerSteps,
  });
}

/**
 * A weights file to attach to `meta`'s run. Checks the file's format and, where its meta says so,
 * that the network matches the run's config (hidden sizes, number of actions); the full shape
 * check happens when the run resumes (PpoAgent.setWeights names any mismatch).
 */
export function importWeightsFile(text: string, fileName: string, meta: SavedRunMeta, now = new Date()): StoredWeights {
  let saved;
  try {
    saved = deserializeWeights(text);
  } catch (err) {
    throw new Error(`Import rejected (nothing was changed): ${fileName}: ${errorMessage(err)}`, { cause: err });
  }
  const config = meta.header.config;
  const expectActions = actionCount(meta.header.experts.length, config.stopRule);
  const fileActions = saved.meta.numActions;
  if (typeof fileActions === 'number' && fileActions !== expectActions) {
    throw new Error(`Import rejected (nothing was changed): ${fileName} is for a network with ${fileActions} actions; run "${meta.name}" has ${expectActions}.`);
  }
  const fileHidden = saved.meta.hiddenSizes;
  if (Array.isArray(fileHidden) && fileHidden.join(',') !== config.ppo.hiddenSizes.join(',')) {
    throw new Error(`Import rejected (nothing was changed): ${fileName} has hidden sizes [${fileHidden}]; run "${meta.name}" uses [${config.ppo.hiddenSizes}].`);
  }
  const entries: PackedWeight[] = packWeights(saved.weights);
  return {
    runId: meta.id,
    savedAt: now.toISOString(),
    iterations: typeof saved.meta.iterations === 'number' ? saved.meta.iterations : meta.iterationCount,
    optimizerSteps: typeof saved.meta.optimizerSteps === 'number' ? saved.meta.optimizerSteps : 0,
    meta: saved.meta,
    entries,
  };
}

/** A file name from a run's name: letters, digits, dot, dash and underscore. */
export function fileStem(meta: SavedRunMeta): string {
  return meta.name.replace(/\(imported from .*\)/, '').trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'run';
}
