// Scores candidate texts against references with BERTScore (Transformers.js) and prints one JSON
// line per pair: {"P":…,"R":…,"F1":…}. Files hold one text per line (line i of each is pair i).
// The layer used is reported on stderr so stdout stays machine-readable.
// Usage: npm run score -- --model <hub id | local folder> [--layer k] [--idf] [--rescale | --baseline b.tsv]
//          [--local-models public/models/] [--offline] [--batch 16] [--dtype fp32|q8]
//          [--special-tokens drop|zeroWeight] --candidates a.txt --references b.txt
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fail, numberArg, parseCli } from './args';
import { createBertScorer } from '../scoring/bertScore';
import { parseBaselineTsv, type BaselineValues } from '../scoring/bertScoreBaseline';
import type { BertDtype } from '../scoring/bertEncoder';
import { errorMessage } from '../der/errorMessage';

const USAGE = `Usage: npm run score -- --model <hub id | local folder> --candidates a.txt --references b.txt [options]
Scores candidate texts against references with BERTScore; prints one JSON line per pair {"P","R","F1"}.
  --model M            hub id (e.g. Xenova/bert-base-multilingual-cased) or a local model folder
  --candidates F       text file, one candidate per line
  --references F       text file, one reference per line (line i pairs with candidate line i)
  --layer k            hidden layer to use (default: the model's recommended layer)
  --idf                idf weights from the references
  --rescale | --baseline b.tsv   rescale with the default baseline, or with a baseline file
  --local-models DIR   folder of local models   --offline   never download
  --batch N (16)  --dtype fp32|q8  --special-tokens drop|zeroWeight
  --help               this help`;

const { values: args } = parseCli(
  {
    model: { type: 'string' },
    layer: { type: 'string' },
    idf: { type: 'boolean', default: false },
    rescale: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    candidates: { type: 'string' },
    references: { type: 'string' },
    'local-models': { type: 'string' },
    offline: { type: 'boolean', default: false },
    batch: { type: 'string', default: '16' },
    dtype: { type: 'string', default: 'fp32' },
    'special-tokens': { type: 'string', default: 'drop' },
    help: { type: 'boolean', default: false },
  },
  { usage: USAGE },
);

function readLines(path: string, what: string): string[] {
  try {
    const lines = readFileSync(path, 'utf8').split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    return lines;
  } catch (err) {
    fail(`cannot read --${what} file ${path}: ${errorMessage(err)}`);
  }
}

async function main() {
  if (!args.model) fail('--model is required (a hub id such as Xenova/bert-base-multilingual-cased, or a local model folder)');
  if (!args.candidates || !args.references) fail('--candidates and --references are required (text files, one text per line)');
  if (args.dtype !== 'fp32' && args.dtype !== 'q8') fail(`--dtype must be fp32 or q8, got "${args.dtype}"`);
  const specialTokens = args['special-tokens'];
  if (specialTokens !== 'drop' && specialTokens !== 'zeroWeight') fail(`--special-tokens must be drop or zeroWeight, got "${specialTokens}"`);
  const candidates = readLines(args.candidates, 'candidates');
  const references = readLines(args.references, 'references');
  if (candidates.length !== references.length) {
    fail(`${candidates.length} candidate lines but ${references.length} reference lines; the files must pair up line by line`);
  }
  const layer = numberArg(args.layer, 'layer');
  let baseline: BaselineValues | 'default' | undefined = args.rescale ? 'default' : undefined;
  if (args.baseline) {
    let table: ReturnType<typeof parseBaselineTsv>;
    try {
      table = parseBaselineTsv(readFileSync(args.baseline, 'utf8'));
    } catch (err) {
      fail(`cannot read --baseline file ${args.baseline}: ${errorMessage(err)}`);
    }
    if (layer === undefined) fail('--baseline needs --layer (the file holds one row per layer)');
    baseline = table.get(layer) ?? fail(`--baseline file has no row for layer ${layer}`);
  }
  // A local folder given by path is read directly; Transformers.js treats non-hub ids as paths.
  const modelArg = args.model.startsWith('.') ? resolve(args.model) : args.model;
  const scorer = await createBertScorer({
    model: modelArg,
    layer,
    idfReferences: args.idf ? references : undefined,
    baseline,
    batchSize: numberArg(args.batch, 'batch'),
    dtype: args.dtype as BertDtype,
    specialTokens,
    localModelPath: args['local-models'] ? resolve(args['local-models']) + '/' : undefined,
    allowRemote: args.offline ? false : undefined,
  });
  process.stderr.write(`${scorer.name}: ${scorer.layerInfo}\n`);
  const scores = await scorer.scorePairs(candidates, references);
  for (const s of scores) process.stdout.write(`${JSON.stringify({ P: s.P, R: s.R, F1: s.F1 })}\n`);
  await scorer.dispose();
}

main().catch((err: Error) => fail(err.message));
