import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { selectNodeBackend } from '../../src/agent/backendNode';

// --backend webgpu in Node: Dawn from the optional `webgpu` package. Whether an adapter exists
// depends on the machine (a GPU's Vulkan driver, or a recent lavapipe); both outcomes are checked.
describe('Node webgpu (optional webgpu package)', () => {
  const saved = process.env.DAWN_NODE_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.DAWN_NODE_PATH;
    else process.env.DAWN_NODE_PATH = saved;
  });

  it('a missing Dawn addon is a one-line error naming the cause, not a silent cpu run', async () => {
    process.env.DAWN_NODE_PATH = '/nonexistent/dawn.node';
    const err = await selectNodeBackend('webgpu').then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^--backend webgpu: could not load Dawn from DAWN_NODE_PATH=\/nonexistent\/dawn\.node \(Cannot find module/);
    expect(err?.message).not.toContain('\n');
  });

  it('with the package: trains on webgpu when Dawn finds an adapter, else says there is none in one line', async () => {
    delete process.env.DAWN_NODE_PATH;
    const result = await selectNodeBackend('webgpu').then(
      (s) => s,
      (e: Error) => e,
    );
    if (result instanceof Error) {
      expect(result.message).toMatch(/^--backend webgpu: Dawn found no GPU adapter/);
      expect(result.message).not.toContain('\n');
      return;
    }
    expect(result.active).toBe('webgpu');
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(Array.from(await tf.matMul(a, a).data())).toEqual([7, 10, 15, 22]);
  });
});
