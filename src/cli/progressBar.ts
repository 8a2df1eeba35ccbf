// A one-line terminal progress bar on stderr (redrawn in place; plain lines when not a TTY).

export function createProgressBar(total: number, label: string) {
  const tty = Boolean(process.stderr.isTTY);
  let last = -1;
  return {
    update(done: number, suffix = ''): void {
      const width = 24;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${suffix}`;
      if (tty) process.stderr.write(`\r${line}\x1b[K`);
      else if (done === total || Math.floor((done / total) * 4) !== last) {
        last = Math.floor((done / total) * 4);
        process.stderr.write(`${line}\n`);
      }
    },
    done(): void {
      if (tty) process.stderr.write('\n');
    },
  };
}
