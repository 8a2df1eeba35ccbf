// @vitest-environment jsdom
// Fault: a dataset of 200 MB or more. The parser refuses it before decoding, and the page's file
// picker refuses it before reading it into memory; both say the size, the limit and what to do.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_DATASET_BYTES, parseDataset } from '../../src/data/loadDataset';
import { useDatasetStore } from '../../src/store/datasetStore';

describe('a 200 MB dataset', () => {
  it('the limit is 200 MiB, and a file one byte over it is refused at once, before decoding', () => {
    expect(DEFAULT_MAX_DATASET_BYTES).toBe(200 * 1024 * 1024);
    const bytes = new Uint8Array(DEFAULT_MAX_DATASET_BYTES + 1); // zeros: decoding them would fail differently
    const started = performance.now();
    expect(() => parseDataset(bytes, { name: 'huge.jsonl' })).toThrow(
      /huge\.jsonl.*the file is 200\.0 MB; the limit is 200\.0 MB\. Use a subset of the rows\./s,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('the file picker refuses it by its size without reading it, and keeps the current dataset', async () => {
    let read = false;
    const huge = { name: 'huge.jsonl', size: 250 * 1024 * 1024, arrayBuffer: async () => ((read = true), new ArrayBuffer(0)) } as unknown as File;
    const before = useDatasetStore.getState().file;
    await useDatasetStore.getState().loadFile(huge);
    expect(read).toBe(false);
    expect(useDatasetStore.getState().fileError).toBe('huge.jsonl: the file is 250.0 MB; the limit is 200.0 MB. Use a subset of the rows.');
    expect(useDatasetStore.getState().file).toBe(before);
  });
});
