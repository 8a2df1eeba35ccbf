// Faults against a real server, through the real command line: `npm run train` with a pool of two
// OpenAI-compatible experts on the loopback test server, one injected fault per run. For each:
// the run finishes (or pauses with one clear line), no finished episode is lost (every episode the
// iteration lines count is in the file), requests stay within the call budget, and the run file
// stays small. The runs are independent (their own models on one server) and run concurrently.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAITestServer, unreachableUrl, type Fault, type OpenAITestServer } from '../support/openaiTestServer';
import { parseRunFile } from '../../src/der/runRecordIO';

let server: OpenAITestServer;
const dir = mkdtempSync(join(tmpdir(), 'der-cli-faults-'));
const BUDGET = 1500;
const ITERATIONS = 1;

beforeAll(async () => {
  server = await startOpenAITestServer();
});
afterAll(async () => {
  await server.close();
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** At most two CLI processes at a time (CI has two cores; a starved process would time its requests out). */
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/** Runs the CLI; `trainingMs` is the time from the session being ready (its "Backend:" line) to the exit. */
function train(args: string[]): Promise<CliResult & { trainingMs: number }> {
  return slot(() => trainNow(args));
}

function trainNow(args: string[]): Promise<CliResult & { trainingMs: number }> {
  const started = Date.now();
  let ready = started;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/train.ts', ...args],
      { env: { ...process.env, ORT_DISABLE_TELEMETRY: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const now = Date.now();
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr, ms: now - started, trainingMs: now - ready });
      },
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      if (ready === started && chunk.toString().includes('Backend:')) ready = Date.now();
    });
  });
}

/** A pool file of two experts (models `<tag>-small`, `<tag>-large`) at `url`. */
function poolFile(tag: string, url: string): string {
  const file = join(dir, `${tag}.pool.json`);
  writeFileSync(
    file,
    JSON.stringify({
      experts: [
        { name: 'small', kind: 'openai', model: `${tag}-small`, baseURL: url, sizeB: 1 },
        { name: 'large', kind: 'openai', model: `${tag}-large`, baseURL: url, sizeB: 7 },
      ],
    }),
  );
  return file;
}

const requestsOf = (tag: string) => (server.stats.byModel[`${tag}-small`] ?? 0) + (server.stats.byModel[`${tag}-large`] ?? 0);

async function runWithFault(tag: string, fault: Omit<Fault, 'model'>, extra: string[] = []) {
  for (const model of [`${tag}-small`, `${tag}-large`]) server.injectFault({ ...fault, model });
  const out = join(dir, `${tag}.jsonl`);
  const result = await train([
    '--pool',
    poolFile(tag, server.url),
    '--iterations',
    String(ITERATIONS),
    '--max-calls',
    String(BUDGET),
    '--concurrency',
    '16',
    '--out',
    out,
    '--quiet',
    ...extra,
  ]);
  return { result, out, run: parseRunFile(readFileSync(out, 'utf8')), bytes: statSync(out).size };
}

/** Every episode the iteration lines say were collected is in the file: none lost. */
function expectNoEpisodeLost(run: ReturnType<typeof parseRunFile>) {
  const collected = run.iterations.reduce((n, it) => n + (it.failures?.collected ?? it.episodes + (it.excludedEpisodes ?? 0)), 0);
  expect(run.episodes.length).toBe(collected);
  expect(run.episodes.map((e) => e.index)).toEqual(run.episodes.map((_, i) => i));
}

describe.concurrent('train CLI against a failing server', () => {
  it('every expert unreachable: pauses within 30 s with one line naming each endpoint and its last error; the file stays small', async () => {
    const url = await unreachableUrl();
    const out = join(dir, 'down.jsonl');
    const result = await train(['--pool', poolFile('down', url), '--iterations', '1', '--out', out, '--quiet']);
    expect(result.code).not.toBe(0);
    // From the session being ready (models loaded) to the exit; loading takes a few seconds more.
    expect(result.trainingMs).toBeLessThan(30_000);
    const last = result.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^Run paused: /);
    expect(last).toContain(`"small" at ${url}`);
    expect(last).toContain(`"large" at ${url}`);
    expect(last).toMatch(/connection/i);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(statSync(out).size).toBeLessThan(1_000_000);
    const run = parseRunFile(readFileSync(out, 'utf8'));
    expect(run.episodes.length).toBeGreaterThan(0);
    expect(run.episodes.length).toBeLessThanOrEqual(32);
    expect(run.episodes.every((e) => e.failed)).toBe(true);
  }, 180_000);

  it('30% of requests answered with HTTP 500: every episode finishes, requests stay within the budget', async () => {
    const { result, run, bytes } = await runWithFault('e500', { status: 500, share: 0.3 });
    expect(result.stderr).not.toMatch(/paused|stopped/i);
    expect(result.code, result.stderr).toBe(0);
    expect(run.iterations).toHaveLength(ITERATIONS);
    expect(run.episodes.every((e) => !e.failed)).toBe(true);
    expectNoEpisodeLost(run);
    const requests = requestsOf('e500');
    expect(requests).toBeLessThanOrEqual(BUDGET);
    // The retries are real: about 3 in 10 requests failed and were sent again.
    const calls = run.episodes.reduce((n, e) => n + e.route_length, 0);
    expect(requests).toBeGreaterThan(calls * 1.2);
    expect(bytes).toBeLessThan(1_000_000);
  }, 180_000);

  it('429 with Retry-After: waits as told, every episode finishes, requests stay within the budget', async () => {
    const { result, run, bytes } = await runWithFault('e429', { status: 429, retryAfter: '1', share: 0.2 });
    expect(result.code, result.stderr).toBe(0);
    expect(run.iterations).toHaveLength(ITERATIONS);
    expect(run.episodes.every((e) => !e.failed)).toBe(true);
    expectNoEpisodeLost(run);
    expect(requestsOf('e429')).toBeLessThanOrEqual(BUDGET);
    expect(bytes).toBeLessThan(1_000_000);
  }, 180_000);

  it('stalls past the timeout: the stalled requests are cancelled and retried, every episode finishes', async () => {
    const { result, run } = await runWithFault('stall', { hang: true, share: 0.05 }, ['--request-timeout', '3000']);
    expect(result.code, result.stderr).toBe(0);
    expect(run.iterations).toHaveLength(ITERATIONS);
    expect(run.episodes.every((e) => !e.failed)).toBe(true);
    expectNoEpisodeLost(run);
    expect(requestsOf('stall')).toBeLessThanOrEqual(BUDGET);
  }, 180_000);

  it('a connection dropped mid-stream: retried as a network error, every episode finishes', async () => {
    const { result, run } = await runWithFault('drop', { dropMidResponse: true, share: 0.3 }, ['--stream']);
    expect(result.code, result.stderr).toBe(0);
    expect(run.iterations).toHaveLength(ITERATIONS);
    expect(run.episodes.every((e) => !e.failed)).toBe(true);
    expectNoEpisodeLost(run);
    expect(requestsOf('drop')).toBeLessThanOrEqual(BUDGET);
    expect(server.log.filter((r) => r.model.startsWith('drop-')).every((r) => r.stream)).toBe(true);
  }, 180_000);

  it('malformed JSON (not retried): those episodes fail, are counted per expert, and the run still finishes', async () => {
    const { result, run, bytes } = await runWithFault('bad', { malformedJson: true, share: 0.3 });
    expect(result.code, result.stderr).toBe(0);
    expect(run.iterations).toHaveLength(ITERATIONS);
    expectNoEpisodeLost(run);
    const failed = run.episodes.filter((e) => e.failed);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e) => /JSON|malformed|not the JSON/i.test(e.steps.at(-1)!.error ?? ''))).toBe(true);
    // The iteration lines count the failures per expert, and add up to the episodes in the file.
    const byExpert = run.iterations.flatMap((it) => Object.values(it.failures?.byExpert ?? {}));
    expect(byExpert.reduce((n, c) => n + c.failedEpisodes, 0)).toBe(failed.length);
    expect(run.iterations.reduce((n, it) => n + (it.failures?.failedEpisodes ?? 0), 0)).toBe(failed.length);
    // One malformed answer is one request: nothing was retried.
    expect(requestsOf('bad')).toBe(run.episodes.reduce((n, e) => n + e.steps.filter((s) => s.expert !== 'STOP').length, 0));
    expect(bytes).toBeLessThan(1_000_000);
  }, 180_000);
});
