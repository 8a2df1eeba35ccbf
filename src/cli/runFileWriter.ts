// The CLI's run file (JSON Lines), kept bounded. Lines are appended as training goes (a pause or a
// crash keeps everything written so far); episodes the retention drops (runs/episodeRetention.ts)
// are removed by compacting the file: rewritten to a temporary file without them, with the header's
// `retention` saying how many are kept of how many, then renamed over the old one (atomic). So the
// file holds at most the cap plus the dropped-but-not-yet-compacted episodes, iteration lines are
// always all there, and memory holds only indices, never the episodes.
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EpisodeRecord, IterationRecord, RunHeader } from '../der/runRecord';
import { iterationLine } from '../der/runRecord';
import { toJsonLine } from '../der/runRecordIO';
import { EpisodeRetention, type RetentionSettings } from '../runs/episodeRetention';

export interface RunFileWriterOptions {
  /** Sample episodes beyond a cap; null keeps every episode. */
  retention: RetentionSettings | null;
  /** Compact once this many dropped episodes are still in the file (default max(256, cap / 4)). */
  compactAfter?: number;
}

const EPISODE_INDEX = /"index":(\d+)/;

export class RunFileWriter {
  private buffer: string[] = [];
  private bufferedChars = 0;
  private readonly retention: EpisodeRetention | null;
  /** Dropped episodes still in the file (cleared by a compaction). */
  private stale = new Set<number>();
  private readonly compactAfter: number;
  /** Bytes written by compactions (write amplification, for the benchmark). */
  rewrittenBytes = 0;
  compactions = 0;

  constructor(
    readonly path: string,
    private header: RunHeader,
    options: RunFileWriterOptions,
  ) {
    this.retention = options.retention ? new EpisodeRetention(options.retention) : null;
    this.compactAfter = options.compactAfter ?? Math.max(256, Math.floor((options.retention?.maxEpisodes ?? 0) / 4));
    writeFileSync(path, toJsonLine(header) + '\n');
  }

  /** Episodes kept (N) and recorded (M). */
  get counts(): { kept: number; total: number } {
    return this.retention ? { kept: this.retention.kept, total: this.retention.total } : { kept: Number.NaN, total: Number.NaN };
  }

  episode(record: EpisodeRecord): void {
    const dropped = this.retention?.add(record.index, record.iteration) ?? [];
    this.push(toJsonLine(record));
    for (const index of dropped) this.stale.add(index);
  }

  /** An iteration closed: its metrics line, then everything buffered goes to disk. */
  iteration(report: IterationRecord): void {
    this.push(toJsonLine(iterationLine(report)));
    this.flush();
    if (this.stale.size >= this.compactAfter) this.compact();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    appendFileSync(this.path, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.bufferedChars = 0;
  }

  /** Write what is buffered and drop what the retention dropped; the header then says N kept of M. */
  close(): void {
    this.flush();
    if (this.retention && (this.stale.size > 0 || this.retention.kept < this.retention.total)) this.compact();
  }

  private push(line: string): void {
    this.buffer.push(line);
    this.bufferedChars += line.length;
    if (this.bufferedChars > 1 << 20) this.flush();
  }

  private compact(): void {
    this.flush();
    if (!this.retention) return;
    const lines = readFileSync(this.path, 'utf8').split('\n');
    this.header = { ...this.header, retention: this.retention.info() };
    const kept: string[] = [toJsonLine(this.header)];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (line === '') continue;
      if (line.startsWith('{"type":"episode"')) {
        const m = EPISODE_INDEX.exec(line);
        if (m && this.stale.has(Number(m[1]))) continue;
      }
      kept.push(line);
    }
    const text = kept.join('\n') + '\n';
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, this.path);
    this.rewrittenBytes += text.length;
    this.compactions += 1;
    this.stale = new Set();
  }
}
