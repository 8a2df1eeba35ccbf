#!/usr/bin/env node
// `npm test`: typecheck, lint (ESLint), format check (Prettier), unit tests (Vitest), end-to-end
// tests (Playwright in Debian's Chromium), then a check that the run left the git tree as it found
// it (tests write under test-results/ only). Ends with one plain line "N passed, N failed[, N
// skipped]" summing all runners; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const env = { ...process.env, ORT_DISABLE_TELEMETRY: '1', ONNXRUNTIME_NODE_INSTALL: 'skip' };
const only = process.argv[2]; // optional: typecheck | lint | unit | e2e
const totals = { passed: 0, failed: 0, skipped: 0 };
rmSync('test-results/vitest.json', { force: true });
rmSync('test-results/playwright.json', { force: true });
mkdirSync('test-results', { recursive: true });

function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;
}

/** Paths git reports as changed or untracked (null outside a git checkout). */
function dirtyPaths() {
  const r = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return new Set(
    r.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3)),
  );
}
const dirtyBefore = dirtyPaths();

/** One check that passes or fails as a whole (typecheck, lint, format). */
function check(cmd, args) {
  if (run(cmd, args) === 0) totals.passed += 1;
  else totals.failed += 1;
}

if (!only || only === 'typecheck') check('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
if (!only || only === 'lint') {
  check('npx', ['eslint', '.']);
  check('npx', ['prettier', '--check', '.']);
}

if (!only || only === 'unit') {
  const rc = run('npx', ['vitest', 'run']);
  if (existsSync('test-results/vitest.json')) {
    const r = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if (rc !== 0 && r.numFailedTests === 0) totals.failed += 1; // a suite failed to load
  } else if (rc !== 0) totals.failed += 1;
}

if (!only || only === 'e2e') {
  const rc = run('npx', ['playwright', 'test']);
  if (existsSync('test-results/playwright.json')) {
    const s = JSON.parse(readFileSync('test-results/playwright.json', 'utf8')).stats;
    totals.passed += s.expected + (s.flaky ?? 0);
    totals.failed += s.unexpected;
    totals.skipped += s.skipped;
    if (rc !== 0 && s.unexpected === 0) totals.failed += 1;
  } else if (rc !== 0) totals.failed += 1;
}

// Tests and benchmarks write under test-results/ (ignored): a file they dirtied is a failure.
// Files that were already changed before the run are not judged.
const dirtyAfter = dirtyPaths();
if (dirtyBefore && dirtyAfter) {
  const touched = [...dirtyAfter].filter((p) => !dirtyBefore.has(p));
  if (touched.length > 0) {
    console.log(`\nThe tests changed tracked or unignored files (they must write under test-results/):\n  ${touched.join('\n  ')}`);
    totals.failed += 1;
  } else totals.passed += 1;
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
