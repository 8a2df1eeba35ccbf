#!/usr/bin/env node
// `npm test`: typecheck, unit tests (Vitest), end-to-end tests (Playwright in Debian's Chromium).
// Ends with one plain line "N passed, N failed[, N skipped]" summing all runners; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const env = { ...process.env, ORT_DISABLE_TELEMETRY: '1', ONNXRUNTIME_NODE_INSTALL: 'skip' };
const only = process.argv[2]; // optional: typecheck | unit | e2e
const totals = { passed: 0, failed: 0, skipped: 0 };
rmSync('test-results/vitest.json', { force: true });
rmSync('test-results/playwright.json', { force: true });
mkdirSync('test-results', { recursive: true });

function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;
}

if (!only || only === 'typecheck') {
  const rc = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  if (rc === 0) totals.passed += 1; else totals.failed += 1;
}

if (!only || only === 'unit') {
  const rc = run('npx', ['vitest', 'run']);
  if (existsSync('test-results/vitest.json')) {
    const r = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
    totals.passed += r.numPassedTests; totals.failed += r.numFailedTests;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if (rc !== 0 && r.numFailedTests === 0) totals.failed += 1; // a suite failed to load
  } else if (rc !== 0) totals.failed += 1;
}

if (!only || only === 'e2e') {
  const rc = run('npx', ['playwright', 'test']);
  if (existsSync('test-results/playwright.json')) {
    const s = JSON.parse(readFileSync('test-results/playwright.json', 'utf8')).stats;
    totals.passed += s.expected + (s.flaky ?? 0); totals.failed += s.unexpected; totals.skipped += s.skipped;
    if (rc !== 0 && s.unexpected === 0) totals.failed += 1;
  } else if (rc !== 0) totals.failed += 1;
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
