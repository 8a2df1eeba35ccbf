// `npm run eval -- --run <run.jsonl | weights.json> [--weights <file>] --dataset <file|sample> --split test
//   [--stop threshold|learned] [--seeds K] [--random-seeds R] [--sampled-draws D] [--sweep alpha=…,… beta=…,…] --out report/`
// Evaluates the frozen agent (greedy) against the baselines on held-out questions and writes
// report.md, results.csv, results.json and SVG charts.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseConfig, type ExperimentConfig } from '../der/config';
import { DEFAULT_RANDOM_SEEDS, DEFAULT_SAMPLED_DRAWS, isAgentKind } from '../der/evaluation';
import { reportRows, type ReportRow } from '../der/evaluationRows';
import { presetConfig, type PresetName } from '../der/presets';
import { parseRunFile } from '../der/runRecordIO';
import { deserializeWeights } from '../agent/weightsIO';
import { fail, numberArg, parseCli } from './args';
import {
  columnsFor,
  comparisonLines,
  contextFromEvaluation,
  returnNoteFor,
  reportFiles,
  resultsTable,
  standardNotes,
  type ReportContext,
} from '../der/evaluationReport';
import {
  evalQuestions,
  evaluateSavedAgent,
  isGsm8kStyle,
  parseSweep,
  trainAndEvaluate,
  type EvalGroup,
  type EvalRunOptions,
  type EvalSplit,
} from './evalRunner';
import { weightsPathForRun } from './weightsPath';
import { errorMessage } from '../der/errorMessage';

const { values, positionals } = parseCli({
  run: { type: 'string' },
  weights: { type: 'string' },
  dataset: { type: 'string' },
  split: { type: 'string', default: 'test' },
  stop: { type: 'string' },
  out: { type: 'string', default: 'report' },
  pool: { type: 'string' },
  scorer: { type: 'string' },
  seeds: { type: 'string' },
  'random-seeds': { type: 'string' },
  'sampled-draws': { type: 'string' },
  sweep: { type: 'string', multiple: true },
  preset: { type: 'string', default: 'tuned' },
  iterations: { type: 'string' },
  encoder: { type: 'string' },
  seed: { type: 'string' },
  'max-questions': { type: 'string' },
  'train-questions': { type: 'string' },
  backend: { type: 'string', default: 'wasm' },
  cache: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
});

if (values.help) {
  process.stdout.write(`Usage: npm run eval -- [options]
  --run <run.jsonl|weights.json>  the trained run (its header's config rebuilds the session, same split seed)
  --weights <file>        agent weights (default: <run>.weights.json, written by npm run train --out)
  --dataset sample|<file> evaluate on this dataset (default: the run's)
  --split test|train|all  which split to evaluate on (default test: held-out questions)
  --stop threshold|learned  the agent's stop mode (default: the run's stop rule)
  --out <dir>             report folder (default report/): report.md, results.csv, results.json, *.svg
  --pool <pool.json>      the expert pool file, for runs not on the simulated pool
  --scorer glove|exact-match  override the run's scorer
  --seeds K               train K seeds in-process (seed, seed+1, …) and report mean ± std with N
  --random-seeds R        draws of the random pick and random route per seed (default ${DEFAULT_RANDOM_SEEDS})
  --sampled-draws D       draws of the sampled agent per seed (default ${DEFAULT_SAMPLED_DRAWS}; 0 = greedy only)
  --sweep alpha=a1,a2 beta=b1,b2  train/evaluate the α/β grid and draw its frontier
  --preset reference|tuned  base config for --seeds/--sweep without --run (default tuned)
  --iterations N          training iterations per in-process agent (default: the preset's length)
  --encoder use-lite|glove-mean|minilm:<model>  state encoder of in-process agents (default: the preset's)
  --seed S                first seed for --seeds/--sweep without --run
  --max-questions N       evaluate only the first N questions of the split
  --train-questions N     choose the best single expert on at most N training questions (default all)
  --backend wasm|cpu  --cache <file>  --quiet
  --help                  this help
`);
  process.exit(0);
}

const log = (message: string) => {
  if (!values.quiet) process.stderr.write(`${message}\n`);
};

async function configFromRunArgument(file: string): Promise<{ config: ExperimentConfig; simulated: boolean; weightsFile: string; isWeights: boolean }> {
  const text = await readFile(file, 'utf8');
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : undefined).trim();
  let first: { type?: unknown; format?: unknown } = {};
  try {
    first = JSON.parse(firstLine);
  } catch {
    /* a weights file is one JSON document, possibly not on one line; tried below */
  }
  if (first.type === 'run') {
    const { header } = parseRunFile(text);
    return { config: header.config, simulated: header.simulated, weightsFile: values.weights ?? weightsPathForRun(file), isWeights: false };
  }
  const saved = deserializeWeights(text);
  if (!saved.meta.config)
    throw new Error(`${file} is a weights file without its training config (older train CLI); pass the run file with --run and this file with --weights`);
  const config = parseConfig(saved.meta.config);
  const experts = saved.meta.experts as { kind: string }[] | undefined;
  return {
    config,
    simulated: experts ? experts.every((e) => e.kind === 'simulated') : config.pool.kind === 'simulated',
    weightsFile: values.weights ?? file,
    isWeights: true,
  };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) fail(`--${name} must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

const split = oneOf(values.split, ['test', 'train', 'all'] as const, 'split') as EvalSplit;
const stopArg = oneOf(values.stop, ['threshold', 'learned'] as const, 'stop');
const seedCount = numberArg(values.seeds, 'seeds');
if (seedCount !== undefined && (!Number.isInteger(seedCount) || seedCount < 1)) fail(`--seeds must be a whole number ≥ 1, got ${values.seeds}`);
const randomSeeds = numberArg(values['random-seeds'], 'random-seeds');
if (randomSeeds !== undefined && (!Number.isInteger(randomSeeds) || randomSeeds < 1))
  fail(`--random-seeds must be a whole number ≥ 1, got ${values['random-seeds']}`);
const sampledDraws = numberArg(values['sampled-draws'], 'sampled-draws');
if (sampledDraws !== undefined && (!Number.isInteger(sampledDraws) || sampledDraws < 0))
  fail(`--sampled-draws must be a whole number ≥ 0, got ${values['sampled-draws']}`);
const sweepTokens = [...(values.sweep ?? []), ...positionals.filter((p) => /^(alpha|beta)=/.test(p))];
const strayPositionals = positionals.filter((p) => !/^(alpha|beta)=/.test(p));
if (strayPositionals.length > 0) fail(`unexpected argument(s): ${strayPositionals.join(' ')} (see --help)`);
const trains = seedCount !== undefined || sweepTokens.length > 0;
if (values.encoder && !trains)
  fail('--encoder applies to agents trained here (--seeds, --sweep); a saved agent is evaluated with the encoder it was trained with');

let base: ExperimentConfig;
let simulated = !values.pool;
let weightsFile: string | undefined;
if (values.run) {
  const loaded = await configFromRunArgument(values.run).catch((err: Error) => fail(`cannot read --run ${values.run}: ${err.message}`));
  base = loaded.config;
  simulated = loaded.simulated && !values.pool;
  weightsFile = loaded.weightsFile;
  if (!loaded.simulated && !values.pool) fail('the run did not use the simulated pool: pass the same pool file with --pool <pool.json>');
} else if (trains) {
  if (values.preset !== 'reference' && values.preset !== 'tuned') fail(`--preset must be "reference" or "tuned", got "${values.preset}"`);
  base = presetConfig(values.preset as PresetName);
} else {
  fail('--run <run.jsonl> is required (or --seeds K / --sweep … to train agents here); see --help');
}
const runDataset = base.dataset.source;
base = parseConfig({
  ...base,
  seed: !values.run ? (numberArg(values.seed, 'seed') ?? base.seed) : base.seed,
  iterations: trains ? (numberArg(values.iterations, 'iterations') ?? base.iterations) : base.iterations,
  encoder: values.encoder ?? base.encoder,
  dataset: { ...base.dataset, source: values.dataset ?? base.dataset.source },
  scorer: values.scorer ?? base.scorer,
});
const stopMode = stopArg ?? base.stopRule;
// Checked before anything is loaded: a saved threshold agent has no STOP action to use.
if (!trains && stopMode === 'learned' && base.stopRule === 'threshold') {
  fail(
    'the run was trained with the threshold stop (no STOP action), so its agent cannot use the learned STOP: evaluate with --stop threshold, or train with --stop-rule learned',
  );
}
const runOptions: EvalRunOptions = {
  split,
  stopMode,
  maxQuestions: numberArg(values['max-questions'], 'max-questions'),
  trainQuestions: numberArg(values['train-questions'], 'train-questions'),
  randomSeeds,
  sampledDraws,
  log,
  // Agents trained here are kept as run files next to the report, so each seed or sweep point opens its run.
  runsDir: path.join(values.out as string, 'runs'),
};
const nodeOptions = { poolFile: values.pool, backend: values.backend, cacheFile: values.cache };

let groups: EvalGroup[];
let session;
try {
  if (trains) {
    const grid = sweepTokens.length > 0 ? parseSweep(sweepTokens, base.reward) : [null];
    ({ groups, session } = await trainAndEvaluate(base, grid, seedCount ?? 1, nodeOptions, runOptions));
  } else {
    const result = await evaluateSavedAgent(base, weightsFile as string, nodeOptions, runOptions);
    groups = [result.group];
    session = result.session;
  }
} catch (err) {
  fail(errorMessage(err));
}

const sweep = groups.some((g) => g.sweep !== undefined);
const agentRows: ReportRow[] = sweep ? groups.flatMap((g) => reportRows(g.evaluations, { agentOnly: true, sweep: g.sweep })) : [];
const rows: ReportRow[] = sweep ? [...agentRows, ...reportRows(groups[0].evaluations).filter((r) => !isAgentKind(r.kind))] : reportRows(groups[0].evaluations);

const first = groups[0].evaluations[0];
const questions = evalQuestions(session, runOptions);
const exactMatch = isGsm8kStyle(questions);
const notes = standardNotes({ exactMatch, stopMode });
if (values.dataset && values.dataset !== runDataset)
  notes.push(`Evaluated on ${values.dataset}, while the run was trained on ${runDataset} (same split seed).`);
if (split !== 'test')
  notes.push(
    `Evaluated on the ${split} split: ${split === 'all' ? 'it includes' : 'these are'} questions the agent was trained on, so this is not a held-out result.`,
  );
if (values.scorer) notes.push(`Scorer set with --scorer ${values.scorer}; the agent was trained with the scorer of its run.`);
const ctx: ReportContext = contextFromEvaluation(first, {
  title: sweep ? 'DER evaluation: α/β sweep' : 'DER evaluation report',
  runFile: values.run,
  weightsFile: trains ? undefined : weightsFile,
  dataset: base.dataset.source,
  split,
  seeds: groups[0].seeds,
  iterations: trains ? base.iterations : undefined,
  accuracy: exactMatch,
  sweep,
  notes,
});
if (!simulated) ctx.simulated = false;
ctx.runLinks = groups.flatMap((g) =>
  (g.runFiles ?? []).map((file, k) => ({
    label: `${g.sweep ? `α=${g.sweep.alpha} β=${g.sweep.beta} ` : ''}seed ${g.seeds[k]}`,
    file: path.relative(values.out as string, file),
  })),
);

const outDir = values.out as string;
await mkdir(outDir, { recursive: true });
const files = reportFiles(rows, ctx);
for (const [name, text] of files) await writeFile(path.join(outDir, name), text, 'utf8');
await session.close();

if (ctx.simulated) process.stdout.write('Expert pool: SIMULATED (built-in simulation, not real LLMs)\n');
process.stdout.write(`Stop mode: ${stopMode}; ${ctx.questions} ${split} questions; seeds ${ctx.seeds.join(', ')}\n\n`);
process.stdout.write(resultsTable(rows, columnsFor(rows, ctx.accuracy)) + '\n\n');
// The one-line verdict of each agent row (counts of baselines beaten beyond 2 SE); the details are in report.md.
const agentRowsAll = rows.filter((r) => isAgentKind(r.kind));
for (const agent of agentRowsAll) {
  process.stdout.write(
    comparisonLines(
      agent,
      rows.filter((r) => !isAgentKind(r.kind)),
      { returnNote: returnNoteFor(agent, agentRowsAll) },
    )[0].replace(/\*\*/g, '') + '\n',
  );
}
process.stdout.write('\n');
process.stdout.write(`Report written to ${path.join(outDir, 'report.md')} (${files.map(([n]) => n).join(', ')})\n`);
