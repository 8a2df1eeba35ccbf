// `npm run rescore -- run.jsonl [--alpha --beta --gamma --p0 --tmax --form]`: recompute rewards, returns and
// stop points of a recorded run under new reward knobs, with no expert calls (the "what-if" core).
import { readFile } from 'node:fs/promises';
import { parseRunFile } from '../der/runRecordIO';
import { rescoreEpisodes } from '../der/rescore';
import { RewardConfigSchema } from '../der/config';
import { fail, numberArg, parseCli } from './args';
import { errorMessage } from '../der/errorMessage';

const USAGE = `Usage: npm run rescore -- run.jsonl [options]
Re-scores a recorded run under new reward knobs, with no expert calls (the "what-if" core).
  --alpha A  --beta B  --gamma G  --p0 P  --tmax T   new knobs (default: the run's own)
  --form paper|final  the reward form (default: the run's own; paper = the paper's per-step P,
                      final = β·(P_final − p0) ± γ − α·ΣC paid as potential differences)
  --json     one JSON line (knobs, summary before and after) instead of text
  --help     this help`;

const { values, positionals } = parseCli(
  {
    alpha: { type: 'string' },
    beta: { type: 'string' },
    gamma: { type: 'string' },
    p0: { type: 'string' },
    tmax: { type: 'string' },
    form: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  { usage: USAGE },
);
const file = positionals[0];
if (!file) fail('a run file is required: npm run rescore -- run.jsonl [--alpha A] [--beta B] [--gamma G] [--p0 P] [--tmax T] [--json] (see --help)');
if (positionals.length > 1) fail(`unexpected argument(s): ${positionals.slice(1).join(' ')} (see --help)`);

let text: string;
try {
  text = await readFile(file, 'utf8');
} catch (err) {
  fail(`cannot read ${file}: ${errorMessage(err)}`);
}
let run: ReturnType<typeof parseRunFile>;
try {
  run = parseRunFile(text);
} catch (err) {
  fail(`${file} is not a valid run file: ${errorMessage(err)}`);
}
const old = run.header.config.reward;
const parsed = RewardConfigSchema.safeParse({
  alpha: numberArg(values.alpha, 'alpha') ?? old.alpha,
  beta: numberArg(values.beta, 'beta') ?? old.beta,
  gamma: numberArg(values.gamma, 'gamma') ?? old.gamma,
  p0: numberArg(values.p0, 'p0') ?? old.p0,
  tmax: numberArg(values.tmax, 'tmax') ?? old.tmax,
  form: values.form ?? old.form ?? 'paper',
});
if (!parsed.success) fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
const knobs = parsed.data;
const before = rescoreEpisodes(run.episodes, old, run.header.config.stopRule);
const after = rescoreEpisodes(run.episodes, knobs, run.header.config.stopRule);

if (values.json) {
  process.stdout.write(JSON.stringify({ reward: knobs, before: before.summary, after: after.summary }) + '\n');
} else {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
  const s = after.summary;
  process.stdout.write(
    `${run.episodes.length} episodes re-scored with α=${knobs.alpha} β=${knobs.beta} γ=${knobs.gamma} p0=${knobs.p0} Tmax=${knobs.tmax} form=${knobs.form} (no expert calls)\n` +
      `mean_return: ${f(before.summary.meanReturn)} -> ${f(s.meanReturn)}\n` +
      `mean_final_score: ${f(before.summary.meanFinalScore)} -> ${f(s.meanFinalScore)}\n` +
      `mean_route_length: ${f(before.summary.meanRouteLength)} -> ${f(s.meanRouteLength)}\n` +
      `route lengths now: ${histogram(after.episodes.map((e) => e.route_length))} (before: ${histogram(before.episodes.map((e) => e.route_length))})\n` +
      `stop points: ${s.endedEarlier} end earlier, ${s.endedLater} would go on past the recording (cannot be extended without new calls), ${s.unchanged} unchanged\n`,
  );
}

function histogram(lengths: number[]): string {
  const counts = new Map<number, number>();
  for (const l of lengths) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([l, n]) => `${l} calls: ${n}`)
    .join(', ');
}
