// Merges the GPU run's node-bench.json (webgpu, wasm: scripts/gpu/bench.ts) and torch-bench.json
// (the PyTorch peer: scripts/gpu/torch_peer.py) into results.md and results.json in the same folder.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../../src/der/errorMessage';

interface Row {
  backend: string;
  batch: number;
  medianMs: number;
  meanMs: number;
  sdMs: number;
  steps: number;
}

function readJson(file: string): Record<string, unknown> | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { error: `unreadable ${path.basename(file)}: ${errorMessage(err)}` };
  }
}

export function writeReport(dir: string): void {
  const node = readJson(path.join(dir, 'node-bench.json')) as {
    steps?: Row[];
    counts?: Record<string, number | string>[];
    adapter?: { summary: string; isFallbackAdapter: boolean } | null;
    machine?: Record<string, unknown>;
    agreement?: unknown[];
    errors?: string[];
    skipped?: string[];
    network?: string;
  } | null;
  const torch = readJson(path.join(dir, 'torch-bench.json')) as {
    rows?: Row[];
    torch?: string;
    cuda?: string | null;
    gpu?: string | null;
    note?: string;
    cpu?: string;
  } | null;
  const rows: Row[] = [...(node?.steps ?? []), ...(torch?.rows ?? [])];
  const columns = ['webgpu', 'wasm', 'torch-cuda', 'torch-cpu-1t'];
  const batches = [...new Set(rows.map((r) => r.batch))].sort((a, b) => a - b);
  const cell = (backend: string, batch: number) => {
    const r = rows.find((x) => x.backend === backend && x.batch === batch);
    return r ? `${r.medianMs.toFixed(1)} (${r.meanMs.toFixed(1)} ± ${r.sdMs.toFixed(1)}, N=${r.steps})` : '—';
  };
  const ratio = (a: string, b: string, batch: number) => {
    const x = rows.find((r) => r.backend === a && r.batch === batch);
    const y = rows.find((r) => r.backend === b && r.batch === batch);
    return x && y ? `${(x.medianMs / y.medianMs).toFixed(2)}×` : '—';
  };
  const lines = [
    '# PPO gradient step on a GPU server',
    '',
    `Machine: ${JSON.stringify(node?.machine ?? {})}; GPU: ${torch?.gpu ?? 'unknown'}; webgpu adapter: ${node?.adapter?.summary ?? 'none'}${node?.adapter?.isFallbackAdapter ? ' (FALLBACK: not a real GPU)' : ''}.`,
    `torch: ${torch?.torch ?? 'not run'}${torch?.cuda ? `, CUDA ${torch.cuda}` : ''}${torch?.note ? ` (${torch.note})` : ''}.`,
    '',
    `Network: ${node?.network ?? ''}. Milliseconds per step: median (mean ± sd, N timed steps after two warm-ups).`,
    '',
    `| batch | ${columns.join(' | ')} | webgpu / torch-cuda | wasm / torch-cpu-1t |`,
    `|---|${columns.map(() => '---').join('|')}|---|---|`,
    ...batches.map(
      (b) => `| ${b} | ${columns.map((c) => cell(c, b)).join(' | ')} | ${ratio('webgpu', 'torch-cuda', b)} | ${ratio('wasm', 'torch-cpu-1t', b)} |`,
    ),
    '',
    '## Work per gradient step',
    '',
    '| backend | batch | tfjs kernels | GPU dispatches | submits | writeBuffer | buffers created | readbacks |',
    '|---|---|---|---|---|---|---|---|',
    ...(node?.counts ?? []).map(
      (c) =>
        `| ${c.backend} | ${c.batch} | ${c.kernels} | ${c.dispatches ?? '—'} | ${c.submits ?? '—'} | ${c.writes ?? '—'} | ${c.buffersCreated ?? '—'} | ${c.readbacks ?? '—'} |`,
    ),
    '',
    `Agreement with cpu (one step, batch 63; tolerance 1e-2): ${JSON.stringify(node?.agreement ?? [])}`,
    ...(node?.errors?.length ? ['', `Errors: ${node.errors.join('; ')}`] : []),
    ...(node?.skipped?.length ? ['', `Skipped: ${node.skipped.join('; ')}`] : []),
    ...(node === null ? ['', 'node-bench.json is missing: the Node bench did not run or crashed (see node-bench.log).'] : []),
    '',
  ];
  writeFileSync(path.join(dir, 'results.md'), lines.join('\n'));
  writeFileSync(path.join(dir, 'results.json'), JSON.stringify({ node, torch }, null, 2));
  console.log(lines.join('\n'));
}
