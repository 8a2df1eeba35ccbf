import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AUTO_BACKEND_ORDER, backendOrder, selectBackend } from '../../src/agent/backend';
import { initBackend, selectNodeBackend } from '../../src/agent/backendNode';

describe('tfjs backend selection', () => {
  it('orders auto as webgpu → webgl → wasm → cpu and always ends an explicit choice with cpu', () => {
    expect(backendOrder('auto')).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(AUTO_BACKEND_ORDER[0]).toBe('webgpu');
    expect(backendOrder('wasm')).toEqual(['wasm', 'cpu']);
    expect(backendOrder('cpu')).toEqual(['cpu']);
    expect(() => backendOrder('tpu' as never)).toThrow(/Unknown tfjs backend "tpu"/);
  });

  it('falls through to the next backend when one fails to start', async () => {
    const selection = await selectBackend(['webgpu', 'cpu'], (name) => {
      if (name === 'webgpu') throw new Error('no adapter');
    });
    expect(selection.active).toBe('cpu');
    expect(selection.attempts[0]).toMatchObject({ name: 'webgpu', ok: false, error: 'no adapter' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('in Node, auto picks wasm; webgl falls back to cpu; an explicit cpu works', async () => {
    expect(await initBackend('auto')).toBe('wasm');
    const webgl = await selectNodeBackend('webgl');
    expect(webgl.active).toBe('cpu');
    expect(webgl.attempts[0].ok).toBe(false);
    expect(await initBackend('cpu')).toBe('cpu');
    expect(await initBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
