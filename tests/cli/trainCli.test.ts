// The headless CLI: `npm run train` writes a run file; the same seed gives identical episodes;
// `npm run rescore` recomputes rewards under new knobs without expert calls.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseRunFile } from '../../src/der/runRecordIO';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'der-cli-'));
const tsx = (args: string[]) => run('npx', ['tsx', ...args], { env: { ...process.env, ORT_DISABLE_TELEMETRY: '1' }, maxBuffer: 1 << 26 });

describe('train CLI', () => {
  it('writes a run file, and the same seed gives identical episodes', async () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    const [ra] = await Promise.all([
      // The threshold rule (tuned's default is the learned STOP), so that a lower p0 below ends routes earlier.
      tsx(['src/cli/train.ts', '--preset', 'tuned', '--stop-rule', 'threshold', '--iterations', '2', '--seed', '7', '--out', a, '--quiet']),
      tsx(['src/cli/train.ts', '--preset', 'tuned', '--stop-rule', 'threshold', '--iterations', '2', '--seed', '7', '--out', b, '--quiet']),
    ]);
    expect(ra.stdout).toMatch(/iteration 2: mean_return=-?\d+\.\d+ mean_final_score=0\.\d+ mean_route_length=\d\.\d+ mean_cost_B=\d+\.\d/);
    expect(ra.stderr).toContain('SIMULATED');
    const runA = parseRunFile(readFileSync(a, 'utf8'));
    const runB = parseRunFile(readFileSync(b, 'utf8'));
    expect(runA.header.config.reward).toEqual({ alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 5, form: 'final' });
    expect(runA.header.seed).toBe(7);
    expect(runA.header.simulated).toBe(true);
    expect(runA.episodes).toHaveLength(64);
    expect(runA.iterations).toHaveLength(2);
    // Identical episodes, including the policy's probabilities after the first PPO update.
    expect(JSON.stringify(runA.episodes)).toBe(JSON.stringify(runB.episodes));
    const step = runA.episodes[40].steps[0];
    for (const key of ['t', 'expert', 'cost', 'prompt', 'answer', 'score', 'delta', 'reward', 'terms', 'probs', 'value', 'done', 'done_reason']) {
      expect(step).toHaveProperty(key);
    }
    expect(step.probs).toHaveLength(11);

    // Rescore: a lower p0 ends some episodes earlier, and the mean return changes; no network involved.
    const { stdout } = await tsx(['src/cli/rescore.ts', a, '--p0', '0.65', '--json']);
    const result = JSON.parse(stdout);
    expect(result.reward.p0).toBe(0.65);
    expect(result.after.endedEarlier).toBeGreaterThan(0);
    expect(result.after.meanRouteLength).toBeLessThan(result.before.meanRouteLength);
    expect(result.after.meanReturn).not.toBeCloseTo(result.before.meanReturn, 6);
    // Re-scoring with the recorded knobs (the run's final reward form included) reproduces the recorded returns.
    const recordedMean = runA.episodes.reduce((s, e) => s + e.return, 0) / runA.episodes.length;
    expect(result.before.meanReturn).toBeCloseTo(recordedMean, 9);
  }, 240_000);

  it('rejects a bad preset with a clear message', async () => {
    await expect(tsx(['src/cli/train.ts', '--preset', 'fast'])).rejects.toMatchObject({
      stderr: expect.stringContaining('--preset must be "reference" or "tuned"'),
    });
  });

  it('names a bad stop rule, scorer or dataset file in one line, without a stack trace', async () => {
    for (const [args, message] of [
      [['--stop-rule', 'sometimes'], 'stopRule'],
      [['--scorer', 'nope'], 'Unknown scorer "nope"'],
      [['--dataset', join(dir, 'missing.jsonl')], 'missing.jsonl'],
    ] as const) {
      const err = await tsx(['src/cli/train.ts', ...args, '--iterations', '1']).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code).toBe(2);
      expect(err?.stderr).toContain(message);
      expect(err?.stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
