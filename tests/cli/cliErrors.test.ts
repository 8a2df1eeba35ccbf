// Every command line of the project (npm run train, rescore, score, eval, bench:cartpole, bench):
// --help prints its usage and exits 0; a bad argument, a bad file or a refused input ends it with
// exactly one line on stderr, no stack trace, and a non-zero exit code; DEBUG=1 shows the stack.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toJsonl } from '../../src/der/runRecordIO';
import { header, smallRun } from '../runs/runFixtures';

const dir = mkdtempSync(join(tmpdir(), 'der-cli-errors-'));
const COMMANDS: Record<string, string> = {
  train: 'src/cli/train.ts',
  rescore: 'src/cli/rescore.ts',
  score: 'src/cli/score.ts',
  eval: 'src/cli/eval.ts',
  'bench:cartpole': 'src/cli/benchCartpole.ts',
  bench: 'scripts/bench/run.ts',
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Two commands at a time: each loads TF.js or Transformers.js, and CI has two cores. */
let running = 0;
const waiting: (() => void)[] = [];
async function cli(command: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', COMMANDS[command], ...args],
        { env: { ...process.env, ORT_DISABLE_TELEMETRY: '1', DEBUG: '', ...env } },
        (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
    });
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/** The command failed with exactly one line on stderr, matching `pattern`, and no stack trace. */
function expectOneLineError(result: Result, pattern: RegExp) {
  expect(result.code, result.stderr).not.toBe(0);
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const CORRUPT_RUN = file('corrupt.jsonl', '{"type":"run","config":{}}\n{"type":"episode", "iteration": \n');
const VALID_RUN = file('valid.jsonl', toJsonl([header(), ...smallRun().episodes]));

describe.concurrent('every command', () => {
  for (const [command] of Object.entries(COMMANDS)) {
    it(`${command} --help prints its usage and exits 0`, async () => {
      const result = await cli(command, ['--help']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: npm run ${command} `));
      expect(result.stdout).toContain('--help');
    }, 120_000);

    it(`${command} refuses an unknown option with one line`, async () => {
      const result = await cli(command, ['--no-such-option']);
      expectOneLineError(result, /no-such-option/);
    }, 120_000);
  }

  it('rescore: a corrupt run file is one line naming the file and the line, not a stack trace', async () => {
    expectOneLineError(await cli('rescore', [CORRUPT_RUN]), /corrupt\.jsonl is not a valid run file: run file line \d/);
  }, 120_000);

  it('rescore: a missing file and Tmax < 1 are one line each', async () => {
    const [missing, tmax] = await Promise.all([cli('rescore', [join(dir, 'nope.jsonl')]), cli('rescore', [VALID_RUN, '--tmax', '0'])]);
    expectOneLineError(missing, /cannot read .*nope\.jsonl/);
    expectOneLineError(tmax, /Tmax must be ≥ 1/);
  }, 120_000);

  it("train: a pool of one expert and an empty dataset are refused in the user's terms", async () => {
    const onePool = file('one.pool.json', JSON.stringify({ experts: [{ name: 'only', kind: 'simulated', sizeB: 7 }] }));
    const empty = file('empty.jsonl', '');
    const [pool, dataset, iterations] = await Promise.all([
      cli('train', ['--pool', onePool, '--iterations', '1']),
      cli('train', ['--dataset', empty, '--iterations', '1']),
      cli('train', ['--iterations', 'many']),
    ]);
    expectOneLineError(pool, /a pool needs at least two experts/);
    expectOneLineError(dataset, /empty/i);
    expectOneLineError(iterations, /--iterations must be a number/);
  }, 180_000);

  it('score and eval: missing inputs and unreadable files are one line', async () => {
    const [score, evalRun] = await Promise.all([cli('score', ['--model', 'tiny-bert']), cli('eval', ['--run', CORRUPT_RUN])]);
    expectOneLineError(score, /--candidates and --references are required/);
    expectOneLineError(evalRun, /cannot read --run .*corrupt\.jsonl/);
  }, 120_000);

  it('bench:cartpole and bench: a bad value is one line; DEBUG=1 prints the stack instead', async () => {
    const [preset, unknownCase, debug] = await Promise.all([
      cli('bench:cartpole', ['--preset', 'nope']),
      cli('bench', ['nope']),
      cli('bench', ['nope'], { DEBUG: '1' }),
    ]);
    expectOneLineError(preset, /--preset must be fast or cleanrl/);
    expectOneLineError(unknownCase, /Unknown case nope/);
    expect(debug.code).not.toBe(0);
    expect(debug.stderr).toMatch(/Unknown case nope/);
    expect(debug.stderr).toMatch(/^\s+at /m);
  }, 120_000);
});
