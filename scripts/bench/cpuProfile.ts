// Where main-thread time goes in a Chromium page: a CDP CPU profile (self time per sample), mapped
// through the build's hidden source maps to original files, and summed by package or source file.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CDPSession } from '@playwright/test';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
}

/** The package (node_modules/<name>) or the project file an original source path belongs to. */
function owner(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = source.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const src = source.indexOf('src/');
  return src >= 0 ? source.slice(src) : source;
}

/**
 * Stops the profiler and returns the top owners of self time (ms). `assetsDir` holds the built
 * chunks and their .map files; without a map a chunk is reported by its file name.
 */
export async function stopProfile(cdp: CDPSession, assetsDir: string, top = 12): Promise<{ owner: string; ms: number }[]> {
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let consumerFor: (file: string) => { originalPositionFor(p: { line: number; column: number }): { source: string | null } } | null = () => null;
  try {
    const { SourceMapConsumer } = await import('source-map-js');
    const cache = new Map<string, InstanceType<typeof SourceMapConsumer> | null>();
    consumerFor = (file) => {
      if (!cache.has(file)) {
        const map = join(assetsDir, `${file}.map`);
        cache.set(file, existsSync(map) ? new SourceMapConsumer(JSON.parse(readFileSync(map, 'utf8'))) : null);
      }
      return cache.get(file)!;
    };
  } catch {
    /* no source-map-js: owners are chunk file names */
  }
  const totals = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    let who: string;
    if (!frame.url) who = frame.functionName ? `(${frame.functionName.replace(/[()]/g, '')})` : '(native)';
    else {
      const file = basename(new URL(frame.url).pathname);
      const source =
        frame.lineNumber >= 0 ? consumerFor(file)?.originalPositionFor({ line: frame.lineNumber + 1, column: Math.max(0, frame.columnNumber) }).source : null;
      who = source ? owner(source) : file;
    }
    totals.set(who, (totals.get(who) ?? 0) + us / 1000);
  }
  return [...totals]
    .map(([o, ms]) => ({ owner: o, ms: Math.round(ms) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}
