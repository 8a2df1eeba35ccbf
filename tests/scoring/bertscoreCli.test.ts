// @vitest-environment node
// `npm run score` (src/cli/score.ts) prints one JSON line per candidate/reference pair.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'score-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/score.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ORT_DISABLE_TELEMETRY: '1' },
    timeout: 60_000,
  });
}

describe('score CLI', () => {
  it('prints {"P","R","F1"} per pair and reports the layer on stderr', () => {
    const candidates = join(dir, 'candidates.txt');
    const references = join(dir, 'references.txt');
    writeFileSync(candidates, 'The cat sat on the mat.\nShe makes 18 dollars every day.\n');
    writeFileSync(references, 'The cat sat on the mat.\nJanet sells eggs at the market.\n');
    const out = runCli([
      '--model',
      'tiny-bert',
      '--local-models',
      'public/models',
      '--offline',
      '--layer',
      '2',
      '--idf',
      '--candidates',
      candidates,
      '--references',
      references,
    ]);
    expect(out.status, out.stderr).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(Object.keys(l)).toEqual(['P', 'R', 'F1']);
    expect(lines[0].F1).toBeCloseTo(1, 6);
    expect(lines[1].F1).toBeLessThan(lines[0].F1);
    expect(out.stderr).toContain('layer 2 of 3');
  });

  it('fails with a clear message when the files do not pair up', () => {
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    writeFileSync(a, 'one\ntwo\n');
    writeFileSync(b, 'one\n');
    const out = runCli(['--model', 'tiny-bert', '--local-models', 'public/models', '--offline', '--candidates', a, '--references', b]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/2 candidate lines but 1 reference lines/);
  });
});
