// @vitest-environment node
// The CLI's session wiring with the Transformers.js components: a pool file with an in-page
// (browser-kind) expert on tiny GPT-2 beside a simulated one, BERTScore and a MiniLM-style encoder
// named in the config, all from the bundled fixtures; one PPO iteration trains on it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeSession } from '../../src/cli/nodeSession';
import { Trainer } from '../../src/session/trainer';
import { DEFAULT_CONFIG } from '../../src/der/presets';
import type { EpisodeRecord } from '../../src/der/runRecord';

describe('Node session with Transformers.js experts, scorer and encoder', () => {
  it('trains an iteration with a browser-kind expert, BERTScore layer 2 with idf and minilm:tiny-bert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'der-node-models-'));
    const poolFile = join(dir, 'pool.json');
    writeFileSync(
      poolFile,
      JSON.stringify({
        experts: [
          { name: 'tiny', kind: 'browser', sizeB: 0.01, model: 'tiny-gpt2', dtype: 'fp32', maxTokens: 6 },
          { name: 'koala-7B', kind: 'simulated', sizeB: 7 },
        ],
      }),
    );
    const config = {
      ...DEFAULT_CONFIG,
      iterations: 1,
      reward: { ...DEFAULT_CONFIG.reward, p0: 1, tmax: 2 },
      ppo: { ...DEFAULT_CONFIG.ppo, episodesPerIteration: 4 },
      scorer: 'bertscore:tiny-bert@2+idf',
      encoder: 'minilm:tiny-bert',
    };
    const session = await createNodeSession(config, { poolFile, concurrency: 4 });
    // "+idf": idf weights over the training split's references.
    expect(session.scorer.name).toBe('BERTScore tiny-bert L2 idf');
    expect(session.encoder.name).toBe('transformers:tiny-bert');
    expect(session.pool.experts.map((e) => e.kind)).toEqual(['browser', 'simulated']);
    const episodes: EpisodeRecord[] = [];
    const trainer = new Trainer(config, session.train, session, { onEpisode: (e) => episodes.push(e) });
    const report = await trainer.runIteration();
    expect(report.update).not.toBeNull();
    expect(episodes).toHaveLength(4);
    const steps = episodes.flatMap((e) => e.steps);
    expect(steps.every((s) => Number.isFinite(s.score))).toBe(true);
    const inPage = steps.filter((s) => s.expert === 'tiny');
    expect(inPage.length).toBeGreaterThan(0); // seeded policy: it does pick the in-page expert
    for (const s of inPage) expect(s.answer.length).toBeGreaterThan(0);
    session.agent.dispose?.();
    await session.close();
  }, 60_000);
});
