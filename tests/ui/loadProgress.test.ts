import { describe, expect, it } from 'vitest';
import { progressFraction, progressText } from '../../src/ui/controls/loadProgress';

describe('loading progress', () => {
  it('is a fraction only when loaded and total are known', () => {
    expect(progressFraction({ stage: 'Loading dataset' })).toBeNull();
    expect(progressFraction({ stage: 's', loaded: 5, total: 0 })).toBeNull();
    expect(progressFraction({ stage: 's', loaded: 25, total: 100 })).toBe(0.25);
    expect(progressFraction({ stage: 's', loaded: 120, total: 100 })).toBe(1);
  });

  it('says the stage, the file and how much is loaded', () => {
    expect(progressText({ stage: 'Selecting compute backend' })).toBe('Selecting compute backend');
    expect(progressText({ stage: 'Loading model m', detail: 'model.onnx', loaded: 12e6, total: 90.1e6 })).toBe(
      'Loading model m: model.onnx (12.0 of 90.1 MB, 13%)',
    );
    expect(progressText({ stage: 'Loading encoder', loaded: 2, total: 4 })).toBe('Loading encoder (2 of 4, 50%)');
  });
});
