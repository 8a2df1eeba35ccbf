// `npm run bench [-- case ...] [--repeats N] [--no-browser] [--save]`: runs the benchmark cases (all,
// or the ones named: ppo, rollout, bertscore, live, ui, memory, learning), prints the table and writes
// the results: to test-results/bench/results.json (ignored by git), or with --save to the committed
// bench/results.json (rows of the cases run replace their previous rows). Progress goes to stderr.
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { parseCli } from '../../src/cli/args';
import { formatTable, log, unavailable, atMost, writeResults, type BenchResult } from './harness';

const RESULTS_FILE = fileURLToPath(new URL('../../bench/results.json', import.meta.url));
/** Where a run without --save writes: the committed rows with this run's rows merged in. */
const SCRATCH_FILE = fileURLToPath(new URL('../../test-results/bench/results.json', import.meta.url));

type CaseRunner = (opts: { repeats: number; noBrowser: boolean }) => Promise<BenchResult[]>;

/** Each case in its own module, imported only when it runs (tfjs, Playwright and Transformers.js load lazily). */
const CASES: Record<string, CaseRunner> = {
  ppo: async (o) => (await import('./ppoUpdate')).runPpoUpdate(o),
  rollout: async (o) => (await import('./rollout')).runRollout(o),
  bertscore: async (o) => (await import('./bertscore')).runBertScore(o),
  live: async () => (await import('./liveCalls')).runLiveCalls(),
  ui: async (o) => (await import('./uiTraining')).runUiTraining(o),
  memory: async () => (await import('./memory')).runMemory(),
  longrun: async () => (await import('./longRun')).runLongRun(),
  'longrun-browser': async (o) => (await import('./longRunBrowser')).runLongRunBrowser(o),
  learning: async (o) => (await import('./learning')).runLearning(o),
};

const failedRowName = (caseName: string) => `${caseName} (case failed)`;

async function main() {
  const { values, positionals } = parseCli(
    {
      repeats: { type: 'string', default: '5' },
      'no-browser': { type: 'boolean', default: false },
      save: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    {
      usage: `Usage: npm run bench -- [case ...] [--repeats N] [--no-browser] [--save]
Runs the benchmark cases (all, or the ones named), prints the table and writes the results to
test-results/bench/results.json; --save writes the committed bench/results.json instead.
  case          one of: ${Object.keys(CASES).join(', ')}
  --repeats N   repetitions per measurement (default 5; the table shows medians)
  --no-browser  skip the cases that need Chromium
  --save        update bench/results.json (the committed figures the README quotes)
  --help        this help`,
    },
  );
  const unknown = positionals.filter((p) => !(p in CASES));
  if (unknown.length > 0) throw new Error(`Unknown case ${unknown.join(', ')}: choose from ${Object.keys(CASES).join(', ')}.`);
  const names = positionals.length > 0 ? positionals : Object.keys(CASES);
  const repeats = Math.max(1, Number(values.repeats));
  log(
    `bench: ${names.join(', ')} — ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, Node ${process.version}`,
  );

  const fresh: BenchResult[] = [];
  for (const name of names) {
    const t0 = performance.now();
    log(`— ${name}`);
    try {
      const rows = await CASES[name]({ repeats, noBrowser: values['no-browser'] });
      fresh.push(...rows.map((r) => ({ ...r, ranAt: new Date().toISOString() })));
    } catch (err) {
      // One broken case is reported in its row; the other cases still run.
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      log(`  ${name} failed: ${err instanceof Error ? err.stack : message}`);
      fresh.push({ ...unavailable(failedRowName(name), '—', atMost(Number.NaN, '—'), `case failed: ${message}`), ranAt: new Date().toISOString() });
    }
    log(`  ${name} took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  // A case that ran now drops the failure row an earlier run may have left.
  const succeeded = names.filter((n) => !fresh.some((r) => r.name === failedRowName(n))).map(failedRowName);
  const target = values.save ? RESULTS_FILE : SCRATCH_FILE;
  if (!values.save) {
    await mkdir(path.dirname(SCRATCH_FILE), { recursive: true });
    await copyFile(RESULTS_FILE, SCRATCH_FILE).catch(() => undefined);
  }
  await writeResults(target, fresh, succeeded);
  console.log(`Benchmark (${os.cpus().length} cores, load at end ${os.loadavg()[0].toFixed(1)}; medians of ${repeats} repetitions; rows of this run)\n`);
  console.log(formatTable(fresh));
  console.log(`\nwritten: ${path.relative(process.cwd(), target)}${values.save ? '' : ' (npm run bench -- --save updates bench/results.json)'}`);
  // Transformers.js / onnxruntime and Playwright can keep handles open.
  process.exit(0);
}

// A failure reaches the CLI error handler (src/cli/args.ts): one line on stderr, exit code 1.
await main();
