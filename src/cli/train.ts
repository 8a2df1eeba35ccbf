// `npm run train -- --preset reference|tuned --pool simulated --dataset <file> --iterations N --seed S --out run.jsonl`
// Runs the same core as the browser worker, in Node on the TF.js wasm backend.
import { presetConfig, type PresetName } from '../der/presets';
import { parseConfig } from '../der/config';
import { RunFileWriter } from './runFileWriter';
import { DEFAULT_LATEST_ITERATIONS, DEFAULT_MAX_EPISODES } from '../runs/episodeRetention';
import { Trainer } from '../session/trainer';
import { buildRunHeader } from '../session/runHeader';
import { createProgressBar } from './progressBar';
import { fail, numberArg, oneLine, parseCli } from './args';
import { RunPausedError } from '../session/failurePolicy';
import { createNodeSession } from './nodeSession';
import { readFile } from 'node:fs/promises';
import { parsePoolFile } from '../experts/poolFile';
import { saveWeightsFile } from '../agent/weightsFile';
import { weightsPathForRun } from './weightsPath';
import { errorMessage } from '../der/errorMessage';

const USAGE = `Usage: npm run train -- [options]
  --preset reference|tuned   PPO and reward preset (default tuned)
  --pool simulated|<pool.json>  expert pool (default: the simulated pool; keys come from the environment)
  --dataset sample|<file>    JSONL/JSON/CSV dataset with reference answers (default: the bundled sample)
  --iterations N  --seed S   --stop-rule threshold|learned
  --scorer glove|exact-match|bertscore:<model>@<layer>[+idf]   (default glove, the offline stand-in)
  --encoder use-lite|glove-mean|minilm:<model>                  (default use-lite)
  --out run.jsonl            write the run record (JSON Lines), and the final agent weights to run.weights.json
  --weights-out <file>       where to save the final agent weights (default: next to --out)
  --keep-episodes N          episodes the run file keeps at most (default ${DEFAULT_MAX_EPISODES}; 0 keeps all): every episode
                             of the latest iterations plus a seeded reservoir sample of older ones; metrics are always whole
  --keep-latest K            iterations whose episodes are all kept (default ${DEFAULT_LATEST_ITERATIONS})
  --backend wasm|cpu|webgpu  TF.js backend (default wasm; webgpu needs the optional npm package webgpu and a Vulkan driver)
  --concurrency N --max-calls N --max-tokens N --max-cost USD --cache <file> --fresh
  --request-timeout MS       per-request timeout of remote experts (default 120000)
  --stream                   ask remote experts for streamed answers
  --quiet                    no progress bar
  --help                     this help
When every expert keeps failing, the run pauses itself: it exits with code 1 and one line naming
each failing endpoint and its last error; the run file keeps every finished episode, and the agent
weights of the finished iterations are written (as for a finished run).`;

const { values } = parseCli(
  {
    preset: { type: 'string', default: 'tuned' },
    pool: { type: 'string', default: 'simulated' },
    dataset: { type: 'string', default: 'sample' },
    iterations: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'weights-out': { type: 'string' },
    'keep-episodes': { type: 'string' },
    'keep-latest': { type: 'string' },
    'stop-rule': { type: 'string' },
    scorer: { type: 'string' },
    encoder: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    concurrency: { type: 'string' },
    'max-calls': { type: 'string' },
    'max-tokens': { type: 'string' },
    'max-cost': { type: 'string' },
    cache: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    'request-timeout': { type: 'string' },
    stream: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  { usage: USAGE },
);

if (values.preset !== 'reference' && values.preset !== 'tuned') fail(`--preset must be "reference" or "tuned", got "${values.preset}"`);
const base = presetConfig(values.preset as PresetName);
const config = parseOrFail({
  ...base,
  seed: numberArg(values.seed, 'seed') ?? base.seed,
  iterations: numberArg(values.iterations, 'iterations') ?? base.iterations,
  stopRule: values['stop-rule'] ?? base.stopRule,
  scorer: values.scorer ?? base.scorer,
  encoder: values.encoder ?? base.encoder,
  dataset: { ...base.dataset, source: values.dataset },
  // The run header records the pool file's experts (never keys: pool files cannot hold them).
  pool: values.pool === 'simulated' ? { kind: 'simulated' } : { kind: 'custom', experts: await readPoolFile(values.pool!) },
});

// Errors while loading (a bad scorer name, a missing file, a bad pool) get one clear line, not a stack.
const session = await createNodeSession(config, {
  backend: values.backend,
  concurrency: numberArg(values.concurrency, 'concurrency'),
  maxCalls: numberArg(values['max-calls'], 'max-calls'),
  maxTokens: numberArg(values['max-tokens'], 'max-tokens'),
  maxCostUSD: numberArg(values['max-cost'], 'max-cost'),
  cacheFile: values.cache,
  fresh: values.fresh,
  requestTimeoutMs: numberArg(values['request-timeout'], 'request-timeout'),
  stream: values.stream,
}).catch((err: Error) => fail(err.message));

const keepEpisodes = numberArg(values['keep-episodes'], 'keep-episodes') ?? DEFAULT_MAX_EPISODES;
const keepLatest = numberArg(values['keep-latest'], 'keep-latest') ?? DEFAULT_LATEST_ITERATIONS;
if (!Number.isInteger(keepEpisodes) || keepEpisodes < 0) fail(`--keep-episodes must be a whole number ≥ 0 (0 keeps every episode), got ${keepEpisodes}`);
if (!Number.isInteger(keepLatest) || keepLatest < 1) fail(`--keep-latest must be a whole number ≥ 1, got ${keepLatest}`);
const out = values.out
  ? new RunFileWriter(values.out, buildRunHeader(session.config, session.pool, session.versions), {
      retention:
        keepEpisodes > 0
          ? { maxEpisodes: keepEpisodes, latestIterations: keepLatest, seed: session.config.seed, episodesPerIteration: config.ppo.episodesPerIteration }
          : null,
    })
  : null;
if (session.pool.simulated) process.stderr.write('Expert pool: SIMULATED (built-in simulation, not real LLMs)\n');
process.stderr.write(
  `Backend: ${session.backend} · scorer: ${session.scorer.name} · encoder: ${session.encoder.name} · ${session.train.length} train / ${session.test.length} test questions\n`,
);

const perIteration = config.ppo.episodesPerIteration;
const trainer = new Trainer(config, session.train, session, {
  onEpisode: (episode) => out?.episode(episode),
  onIteration: (report) => out?.iteration(report),
});

const fmt = (x: number | undefined, digits = 3) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
try {
  for (let it = 0; it < config.iterations; it++) {
    const bar = values.quiet ? null : createProgressBar(perIteration, `iteration ${it + 1}/${config.iterations}`);
    while (trainer.pendingEpisodes < perIteration) {
      const chunk = Math.min(perIteration - trainer.pendingEpisodes, session.concurrency);
      await trainer.collect(chunk);
      out?.flush(); // a crash loses no finished episode
      bar?.update(trainer.pendingEpisodes);
      const halt = session.haltReason();
      if (halt) throw new Error(`${halt} The run file keeps every episode so far; raise the budget (or reuse --cache) to go on.`);
    }
    bar?.done();
    const report = await trainer.update();
    const s = report.summary;
    process.stdout.write(
      `iteration ${it + 1}: mean_return=${fmt(s.meanReturn)} mean_final_score=${fmt(s.meanFinalScore)} ` +
        `mean_route_length=${fmt(s.meanRouteLength, 2)} mean_cost_B=${fmt(s.meanRouteCost, 1)} success=${fmt(s.successRate, 2)}` +
        (report.update?.skipped ? ` (update skipped: ${report.update.skipReason ?? 'unknown'})` : '') +
        '\n',
    );
    // Episodes left out for a NaN/Inf (and skipped updates), in words.
    if (report.warning) process.stderr.write(`warning: ${report.warning}\n`);
  }
  await saveWeights(config.iterations);
} catch (err) {
  // A paused or stopped run keeps what it learned: the weights of its finished iterations.
  if (trainer.iteration > 0) await saveWeights(trainer.iteration).catch(() => undefined);
  // One line, last: the failure policy's pause names each failing endpoint; other errors say what stopped.
  const message = err instanceof RunPausedError ? err.message : `Training stopped: ${errorMessage(err)}`;
  process.stderr.write(`\n${oneLine(message)}\n`);
  process.exitCode = 1;
} finally {
  out?.close();
  await session.close();
}
/** The agent for `npm run eval` (which looks for run.weights.json next to the run file), after `iterations` iterations. */
async function saveWeights(iterations: number): Promise<void> {
  const weightsOut = values['weights-out'] ?? (values.out ? weightsPathForRun(values.out) : undefined);
  if (!weightsOut) return;
  await saveWeightsFile(weightsOut, session.agent, {
    config: session.config,
    experts: session.pool.experts.map((e) => ({ name: e.name, sizeB: e.sizeB, kind: e.kind })),
    stateDim: session.agent.stateDim,
    numActions: session.agent.numActions,
    iterations,
  });
  process.stderr.write(
    `Agent weights${iterations < config.iterations ? ` of the ${iterations} finished iteration${iterations === 1 ? '' : 's'}` : ''} written to ${weightsOut}\n`,
  );
}

if (out) {
  const { kept, total } = out.counts;
  const episodes =
    Number.isFinite(total) && kept < total ? ` (${kept} episodes kept of ${total}: the latest ${keepLatest} iterations and a seeded sample of older ones)` : '';
  if (!process.exitCode) process.stderr.write(`Run written to ${values.out}${episodes}\n`);
}

async function readPoolFile(file: string) {
  try {
    return parsePoolFile(await readFile(file, 'utf8'), file);
  } catch (err) {
    fail(errorMessage(err));
  }
}

function parseOrFail(value: unknown) {
  try {
    return parseConfig(value);
  } catch (err) {
    fail(errorMessage(err));
  }
}
