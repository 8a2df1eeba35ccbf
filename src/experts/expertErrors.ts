import type { RetryAfterHint } from './retryAfter';

// Errors an expert call can end with. Each names the expert, what went wrong and what to do, and
// says whether trying again could help (the call policy retries only those).

export type ExpertErrorKind =
  | 'auth' // 401: missing or wrong key
  | 'forbidden' // 403: key lacks access, or the server refuses this origin
  | 'model-not-found' // 404
  | 'bad-request' // other 4xx
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'timeout'
  | 'network' // no connection, connection dropped, or (in a browser) probably CORS
  | 'malformed' // the answer is not the JSON an OpenAI-compatible server sends
  | 'empty' // no choices, or empty content
  | 'cooling-down' // skipped: too many consecutive failures
  | 'aborted'; // the caller cancelled

const RETRYABLE: ReadonlySet<ExpertErrorKind> = new Set(['rate-limited', 'server', 'timeout', 'network']);

export class ExpertCallError extends Error {
  readonly retryable: boolean;
  constructor(
    message: string,
    readonly kind: ExpertErrorKind,
    readonly expert: string,
    readonly details: { status?: number; retryAfter?: RetryAfterHint; cause?: unknown } = {},
  ) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'ExpertCallError';
    this.retryable = RETRYABLE.has(kind);
  }
  get status(): number | undefined {
    return this.details.status;
  }
  /** The raw Retry-After hint of a 429/5xx, turned into a delay by the call policy's clock. */
  get retryAfter(): RetryAfterHint | undefined {
    return this.details.retryAfter;
  }
}

export function isExpertCallError(error: unknown): error is ExpertCallError {
  return error instanceof ExpertCallError;
}
