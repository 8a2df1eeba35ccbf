// `npm run train -- --pool pool.json --max-calls N`: real HTTP to a loopback OpenAI-compatible server;
// the budget is never exceeded, training stops with the budget's message, and the episodes so far are kept.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';
import { parseRunFile } from '../../src/der/runRecordIO';

const run = promisify(execFile);
let server: OpenAITestServer;
const dir = mkdtempSync(join(tmpdir(), 'der-budget-'));

beforeAll(async () => {
  server = await startOpenAITestServer();
});
afterAll(async () => {
  await server.close();
});

describe('train CLI with a remote pool and a call budget', () => {
  it('stops at the budget without exceeding it and keeps the recorded episodes', async () => {
    const pool = join(dir, 'pool.json');
    writeFileSync(
      pool,
      JSON.stringify({
        experts: [
          { name: 'small', kind: 'openai', model: 'small-model', baseURL: server.url, sizeB: 1 },
          { name: 'large', kind: 'openai', model: 'large-model', baseURL: server.url, sizeB: 7 },
        ],
      }),
    );
    const out = join(dir, 'run.jsonl');
    const result = await run('npx', ['tsx', 'src/cli/train.ts', '--pool', pool, '--max-calls', '20', '--iterations', '3', '--out', out, '--quiet'], {
      env: { ...process.env, ORT_DISABLE_TELEMETRY: '1' },
    }).then(
      () => {
        throw new Error('training should have stopped at the budget');
      },
      (err: { code: number; stderr: string }) => err,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Budget for calls reached/i);
    expect(server.stats.completions).toBeLessThanOrEqual(20);
    expect(server.stats.completions).toBeGreaterThan(0);
    const recorded = parseRunFile(readFileSync(out, 'utf8'));
    expect(recorded.header.simulated).toBe(false);
    expect(recorded.header.config.pool).toMatchObject({ kind: 'custom', experts: [{ name: 'small', baseURL: server.url }, { name: 'large' }] });
    expect(recorded.episodes.length).toBeGreaterThan(0);
    // Expert calls answered by the server: not STOP (learned stop rule), not failed, not shared from an identical request in flight.
    const answered = recorded.episodes.flatMap((e) => e.steps).filter((s) => !s.error && s.expert !== 'STOP' && !s.cached);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.length).toBeLessThanOrEqual(20);
  }, 120_000);
});
