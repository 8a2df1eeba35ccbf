// Reads the node list of an ONNX model and rewrites its graph outputs, so that an intermediate
// tensor (for BERTScore: the output of encoder layer k) becomes the graph's output. Transformers.js
// returns only the outputs a graph declares, and most hub exports declare `last_hidden_state` or
// `logits` only. The rewrite also drops every node and initializer that no longer feeds an output,
// which turns the model into the truncated k-layer encoder that the bert_score package runs (and
// skips, e.g., a 119k-word masked-LM head).
//
// ONNX field numbers used (onnx.proto): ModelProto.graph = 7; GraphProto: node 1, initializer 5,
// input 11, output 12; NodeProto: input 1, output 2, name 3, op_type 4, attribute 5;
// AttributeProto: g 6, graphs 11; TensorProto.name 8; ValueInfoProto: name 1, type 2;
// TypeProto.tensor_type 1; TypeProto.Tensor.elem_type 1.

import {
  concatBytes,
  encodeBytesField,
  encodeStringField,
  encodeVarintField,
  fieldString,
  readFields,
  WIRE_LENGTH_DELIMITED,
  type WireField,
} from './protobufWire';

export const ONNX_FLOAT = 1;
export const ONNX_FLOAT16 = 10;

export interface OnnxNodeInfo {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** True when an attribute holds a subgraph (If/Loop/Scan), whose outer-scope uses we do not track. */
  readonly hasSubgraph: boolean;
}

export interface OnnxGraphInfo {
  readonly nodes: readonly OnnxNodeInfo[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

interface LocatedGraph {
  graphField: WireField;
  fields: WireField[];
}

function locateGraph(model: Uint8Array): LocatedGraph {
  const graphField = readFields(model).find((f) => f.field === 7 && f.wireType === WIRE_LENGTH_DELIMITED);
  if (!graphField) throw new Error('ONNX: no graph in the model file; is it an ONNX model (and not an external-data stub)?');
  return { graphField, fields: readFields(model, graphField.valueStart, graphField.end) };
}

function valueInfoName(model: Uint8Array, f: WireField): string {
  const nameField = readFields(model, f.valueStart, f.end).find((x) => x.field === 1);
  return nameField ? fieldString(model, nameField) : '';
}

function tensorName(model: Uint8Array, f: WireField): string {
  const nameField = readFields(model, f.valueStart, f.end).find((x) => x.field === 8);
  return nameField ? fieldString(model, nameField) : '';
}

function readNode(model: Uint8Array, f: WireField): OnnxNodeInfo {
  const inputs: string[] = [];
  const outputs: string[] = [];
  let name = '';
  let opType = '';
  let hasSubgraph = false;
  for (const x of readFields(model, f.valueStart, f.end)) {
    if (x.field === 1) inputs.push(fieldString(model, x));
    else if (x.field === 2) outputs.push(fieldString(model, x));
    else if (x.field === 3) name = fieldString(model, x);
    else if (x.field === 4) opType = fieldString(model, x);
    else if (x.field === 5) {
      hasSubgraph ||= readFields(model, x.valueStart, x.end).some((a) => a.field === 6 || a.field === 11);
    }
  }
  return { name, opType, inputs, outputs, hasSubgraph };
}

/** The nodes (in graph order, which ONNX requires to be topological) and the graph's inputs/outputs. */
export function readOnnxGraph(model: Uint8Array): OnnxGraphInfo {
  const { fields } = locateGraph(model);
  return {
    nodes: fields.filter((f) => f.field === 1).map((f) => readNode(model, f)),
    inputNames: fields.filter((f) => f.field === 11).map((f) => valueInfoName(model, f)),
    outputNames: fields.filter((f) => f.field === 12).map((f) => valueInfoName(model, f)),
  };
}

function isLayerNorm(node: OnnxNodeInfo): boolean {
  const n = node.name.toLowerCase();
  return n.includes('layernorm') || n.includes('layer_norm') || node.opType === 'LayerNormalization';
}

/**
 * The tensor holding hidden_states[layer] in a Hugging Face-style export: layer 0 is the output of
 * the embeddings' LayerNorm, layer k ≥ 1 the output of encoder block k−1 (node scope `.../layer.{k-1}/...`,
 * its last LayerNorm). Relies on Optimum / torch.onnx node names; fused (ORT-optimised) graphs lose them.
 */
export function findHiddenStateTensor(graph: OnnxGraphInfo, layer: number): string {
  const scope = layer === 0 ? /\/embeddings\// : new RegExp(`/(?:layer|layers|block|blocks|h)\\.${layer - 1}/`);
  const inScope = graph.nodes.filter((n) => scope.test(n.name) && n.outputs.length > 0);
  const norms = inScope.filter(isLayerNorm);
  const last = (norms.length > 0 ? norms : layer === 0 ? [] : inScope).at(-1);
  if (!last) {
    throw new Error(
      `ONNX: cannot find the output of layer ${layer} by node name (looked for ${scope}); the graph may be ` +
        'optimised/fused. Use a model exported with hidden_states.* outputs, or a plain Optimum export.',
    );
  }
  return last.outputs[0];
}

function newOutputValueInfo(name: string, elemType: number): Uint8Array {
  const tensorType = encodeVarintField(1, elemType);
  const typeProto = encodeBytesField(1, tensorType);
  return encodeBytesField(12, concatBytes([encodeStringField(1, name), encodeBytesField(2, typeProto)]));
}

/** Names every node needs, walking back from the wanted outputs. Null when pruning is unsafe. */
function neededNodes(nodes: readonly OnnxNodeInfo[], outputs: readonly string[]): Set<number> | null {
  if (nodes.some((n) => n.hasSubgraph)) return null;
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.outputs.forEach((o) => producer.set(o, i)));
  const keep = new Set<number>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const i = producer.get(stack.pop()!);
    if (i === undefined || keep.has(i)) continue;
    keep.add(i);
    for (const input of nodes[i].inputs) if (input) stack.push(input);
  }
  return keep;
}

/**
 * Returns a copy of the model whose graph outputs are exactly `outputNames` (existing outputs keep
 * their declared types; new ones are declared as tensors of `elemType`), without the nodes and
 * initializers that no longer contribute to them.
 */
export function selectGraphOutputs(model: Uint8Array, outputNames: readonly string[], elemType = ONNX_FLOAT): Uint8Array {
  const { graphField, fields } = locateGraph(model);
  const nodeFields = fields.filter((f) => f.field === 1);
  const nodes = nodeFields.map((f) => readNode(model, f));
  const produced = new Set(nodes.flatMap((n) => n.outputs));
  const graphInputs = new Set(fields.filter((f) => f.field === 11).map((f) => valueInfoName(model, f)));
  for (const name of outputNames) {
    if (!produced.has(name) && !graphInputs.has(name)) {
      throw new Error(`ONNX: no node produces "${name}"; cannot make it a graph output`);
    }
  }
  const keepNodes = neededNodes(nodes, outputNames);
  const usedNames = new Set<string>(outputNames);
  if (keepNodes) for (const i of keepNodes) for (const input of nodes[i].inputs) usedNames.add(input);
  const prunedInitializers = new Set<string>();

  const parts: Uint8Array[] = [];
  const existingOutputs = new Map<string, WireField>();
  let nodeIndex = 0;
  for (const f of fields) {
    if (f.field === 1) {
      if (!keepNodes || keepNodes.has(nodeIndex)) parts.push(model.subarray(f.start, f.end));
      nodeIndex++;
    } else if (f.field === 5 && keepNodes) {
      const name = tensorName(model, f);
      if (usedNames.has(name)) parts.push(model.subarray(f.start, f.end));
      else prunedInitializers.add(name);
    } else if (f.field === 12) {
      existingOutputs.set(valueInfoName(model, f), f);
    } else {
      parts.push(model.subarray(f.start, f.end));
    }
  }
  // Old exports also list initializers as graph inputs; drop those entries with their initializer.
  const withoutPrunedInputs = prunedInitializers.size === 0 ? parts : parts.filter((p) => !isPrunedInput(p, prunedInitializers));
  for (const name of outputNames) {
    const existing = existingOutputs.get(name);
    withoutPrunedInputs.push(existing ? model.subarray(existing.start, existing.end) : newOutputValueInfo(name, elemType));
  }
  const graph = concatBytes(withoutPrunedInputs);
  return concatBytes([model.subarray(0, graphField.start), encodeBytesField(7, graph), model.subarray(graphField.end)]);
}

function isPrunedInput(part: Uint8Array, pruned: Set<string>): boolean {
  const [f] = readFields(part);
  return f.field === 11 && pruned.has(valueInfoName(part, f));
}
