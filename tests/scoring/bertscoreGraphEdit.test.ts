// @vitest-environment node
// The "add layer k as a graph output" path for hub models whose ONNX export declares only
// last_hidden_state (or logits): a copy of the tiny BERT stripped of its hidden_states.* outputs
// must give the same BERTScore as the fixture's torch values once the scorer edits the graph.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBertScorer, type PRF } from '../../src/scoring/bertScore';
import { findHiddenStateTensor, readOnnxGraph, selectGraphOutputs } from '../../src/scoring/onnxGraphEdit';
import { concatBytes, encodeStringField, encodeVarint, readFields, readVarint } from '../../src/scoring/protobufWire';

const TINY = fileURLToPath(new URL('../../public/models/tiny-bert/', import.meta.url));
const original = new Uint8Array(readFileSync(join(TINY, 'onnx/model.onnx')));
const fixture: { pairs: { candidate: string; reference: string }[]; results: { layer: number; idf: boolean; scores: PRF[] }[] } = JSON.parse(
  readFileSync(new URL('../fixtures/bertscore-parity.json', import.meta.url), 'utf8'),
);

describe('protobuf wire helpers', () => {
  it('round-trips varints across the 32-bit boundary', () => {
    for (const v of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 2 ** 40 + 123]) {
      expect(readVarint(encodeVarint(v), 0)).toEqual([v, encodeVarint(v).length]);
    }
  });

  it('reads back the fields it writes', () => {
    const msg = concatBytes([encodeStringField(1, 'héllo'), encodeStringField(3, 'x')]);
    const fields = readFields(msg);
    expect(fields.map((f) => f.field)).toEqual([1, 3]);
    expect(new TextDecoder().decode(msg.subarray(fields[0].valueStart, fields[0].end))).toBe('héllo');
  });

  it('rejects bytes that are not a protobuf message', () => {
    expect(() => readFields(Uint8Array.from([0x0f, 1, 2]))).toThrow(/wire type/);
  });
});

describe('ONNX graph edit on the tiny BERT', () => {
  it('finds each layer output by node name, as hidden_states.k is wired in the export', () => {
    const graph = readOnnxGraph(original);
    expect(graph.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(findHiddenStateTensor(graph, 0)).toBe('hidden_states.0');
    expect(findHiddenStateTensor(graph, 1)).toBe('hidden_states.1');
    expect(findHiddenStateTensor(graph, 2)).toBe('hidden_states.2');
    expect(findHiddenStateTensor(graph, 3)).toBe('last_hidden_state');
    expect(() => findHiddenStateTensor(graph, 9)).toThrow(/cannot find the output of layer 9/);
  });

  it('selecting one output drops the nodes after it', () => {
    const cut = readOnnxGraph(selectGraphOutputs(original, ['hidden_states.1']));
    const full = readOnnxGraph(original);
    expect(cut.outputNames).toEqual(['hidden_states.1']);
    expect(cut.nodes.length).toBeLessThan(full.nodes.length / 2);
    expect(cut.nodes.some((n) => n.name.includes('/layer.1/'))).toBe(false);
    expect(() => selectGraphOutputs(original, ['no-such-tensor'])).toThrow(/no node produces/);
  });
});

describe('BERTScore on a model without hidden_states outputs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tiny-bert-last-only-'));
    cpSync(TINY, dir, { recursive: true });
    writeFileSync(join(dir, 'onnx/model.onnx'), selectGraphOutputs(original, ['last_hidden_state']));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const layer of [1, 2]) {
    it(`layer ${layer}: edits the graph and matches the torch values`, async () => {
      expect(readOnnxGraph(new Uint8Array(readFileSync(join(dir, 'onnx/model.onnx')))).outputNames).toEqual(['last_hidden_state']);
      const scorer = await createBertScorer({ model: dir, layer, allowRemote: false });
      expect(scorer.layerInfo).toMatch(/made the graph output/);
      const expected = fixture.results.find((r) => r.layer === layer && !r.idf)!.scores;
      const got = await scorer.scorePairs(
        fixture.pairs.map((p) => p.candidate),
        fixture.pairs.map((p) => p.reference),
      );
      got.forEach((g, i) => expect(Math.abs(g.F1 - expected[i].F1)).toBeLessThan(1e-5));
      await scorer.dispose();
    });
  }

  it('the last layer needs no edit', async () => {
    const scorer = await createBertScorer({ model: dir, layer: 3, allowRemote: false });
    expect(scorer.layerInfo).toContain('graph output last_hidden_state');
    await scorer.dispose();
  });
});
