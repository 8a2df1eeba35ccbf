// Loading progress in words and as a fraction: "Loading model X: model.onnx (12.0 of 90.1 MB, 13%)".
// Kept apart from the component so the arithmetic and wording are unit-tested.
import type { LoadProgress } from '../../worker/protocol';

/** Done share in [0, 1], or null when the total is unknown (the bar is then indeterminate). */
export function progressFraction(p: LoadProgress): number | null {
  if (p.loaded === undefined || p.total === undefined || !Number.isFinite(p.loaded) || !(p.total > 0)) return null;
  return Math.min(Math.max(p.loaded / p.total, 0), 1);
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

export function progressText(p: LoadProgress): string {
  const fraction = progressFraction(p);
  const base = `${p.stage}${p.detail ? `: ${p.detail}` : ''}`;
  if (fraction === null) return base;
  // Model files are counted in bytes; a small total is a count of files.
  const amount = p.total! >= 1e5 ? `${megabytes(p.loaded!)} of ${megabytes(p.total!)} MB` : `${p.loaded} of ${p.total}`;
  return `${base} (${amount}, ${Math.round(fraction * 100)}%)`;
}
