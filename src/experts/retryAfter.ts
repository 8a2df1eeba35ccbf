// Retry-After as servers send it: delta-seconds ("1", "0.5"), an HTTP date, or the non-standard
// `retry-after-ms` some OpenAI-compatible servers add. Read raw at the error, turned into a delay
// by the call policy with its own clock (so an HTTP date works in virtual time too).

export interface RetryAfterHint {
  retryAfter?: string;
  retryAfterMs?: string;
}

export function readRetryAfter(headers: Headers | undefined): RetryAfterHint | undefined {
  if (!headers) return undefined;
  const retryAfter = headers.get('retry-after') ?? undefined;
  const retryAfterMs = headers.get('retry-after-ms') ?? undefined;
  return retryAfter === undefined && retryAfterMs === undefined ? undefined : { retryAfter, retryAfterMs };
}

/** The delay the server asks for, in ms (≥ 0), or undefined when there is no usable hint. */
export function retryAfterDelayMs(hint: RetryAfterHint | undefined, nowMs: number): number | undefined {
  if (!hint) return undefined;
  if (hint.retryAfterMs !== undefined) {
    const ms = Number(hint.retryAfterMs);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  if (hint.retryAfter !== undefined) {
    const text = hint.retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
    const date = Date.parse(text);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  return undefined;
}
