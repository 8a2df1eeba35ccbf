// Running the Python peers (Debian's /usr/bin/python3 with python3-torch) from the benchmark.
// A missing interpreter or torch makes the peer "unavailable": the case is reported, not failed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const DEBIAN_PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

/** Where Debian's libblas3 (the reference BLAS) puts libblas.so.3; BENCH_REFERENCE_BLAS_DIR overrides (e.g. a `dpkg -x` of the .deb). */
export function referenceBlasDir(): string | null {
  const candidates = [process.env.BENCH_REFERENCE_BLAS_DIR, '/usr/lib/x86_64-linux-gnu/blas', '/usr/lib/aarch64-linux-gnu/blas'];
  for (const dir of candidates) if (dir && existsSync(`${dir}/libblas.so.3`)) return dir;
  return null;
}

export interface PythonRun {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a Python script with `input` on stdin; `env` is added to this process's environment for the child only. */
export function runPython(script: string, input: string, env: Record<string, string> = {}, timeoutMs = 300_000): Promise<PythonRun> {
  return new Promise((resolve) => {
    if (!existsSync(DEBIAN_PYTHON)) {
      resolve({ ok: false, stdout: '', stderr: `${DEBIAN_PYTHON} does not exist (install Debian's python3 and python3-torch)` });
      return;
    }
    const child = spawn(DEBIAN_PYTHON, [script], {
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, stdout, stderr: `${stderr}${err.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** True when Debian's python can import torch. */
export async function torchAvailable(): Promise<{ ok: boolean; why?: string }> {
  const run = await runPython('-', 'import torch\n', {}, 60_000).catch(() => null);
  if (!run) return { ok: false, why: 'python could not be started' };
  if (!run.ok) return { ok: false, why: `no torch for ${DEBIAN_PYTHON} (apt-get install python3-torch): ${run.stderr.trim().split('\n').pop()}` };
  return { ok: true };
}

/** A Python peer that answers one JSON line per command line (ppo_update_torch.py's protocol). */
export interface LinePeer {
  request<T>(line: string): Promise<T>;
  close(): Promise<void>;
}

export function startLinePeer(script: string, firstLine: string, env: Record<string, string> = {}): LinePeer {
  const child = spawn(DEBIAN_PYTHON, [script], {
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let buffer = '';
  let stderr = '';
  const waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  const fail = (why: string) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${why}${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' ')}` : ''}`));
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buffer += d;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const w = waiting.shift();
      try {
        const parsed = JSON.parse(line) as { error?: string };
        if (parsed.error) w?.reject(new Error(parsed.error));
        else w?.resolve(parsed);
      } catch {
        w?.reject(new Error(`the peer wrote a line that is not JSON: ${line.slice(0, 200)}`));
      }
    }
  });
  child.stderr.on('data', (d) => (stderr += d));
  child.on('error', (err) => fail(`python peer could not start (${err.message})`));
  let exited = false;
  child.on('close', (code) => {
    exited = true;
    fail(`python peer exited with code ${code}`);
  });
  const send = <T>(line: string) =>
    new Promise<T>((resolve, reject) => {
      waiting.push({ resolve: resolve as (v: unknown) => void, reject });
      child.stdin.write(line + '\n');
    });
  const ready = send<unknown>(firstLine);
  ready.catch(() => {}); // reported by the first request
  return {
    async request<T>(line: string) {
      await ready;
      return send<T>(line);
    },
    async close() {
      if (exited) return;
      const closed = new Promise((r) => child.once('close', r));
      child.stdin.end('quit\n');
      await closed;
    },
  };
}
