// The response cache: an answer is stored under the SHA-256 of a canonical JSON of everything that
// shapes it (expert endpoint and model, sampling parameters, the full prompt) and nothing secret
// (no key, no credential headers). A hit costs nothing. Sampled answers (temperature > 0) are
// cached too: re-running an experiment then replays the same answers, which is what a researcher
// comparing settings wants; the "fresh" switch bypasses reading.
import { z } from 'zod';
import { errorMessage } from '../der/errorMessage';

/** What the key is computed from. Stored with each entry so an import can verify the key. */
export const CacheRequestSchema = z.object({
  v: z.literal(1),
  kind: z.string(),
  baseURL: z.string(),
  model: z.string(),
  temperature: z.number().optional(),
  maxTokens: z.number().int().positive(),
  /** Non-secret extra headers only (they can select a route or a variant on some gateways). */
  headers: z.record(z.string(), z.string()).optional(),
  prompt: z.string(),
});
export type CacheRequest = z.infer<typeof CacheRequestSchema>;

export const CacheEntrySchema = z.object({
  key: z.string().regex(/^[0-9a-f]{64}$/, 'key must be 64 hex characters (SHA-256)'),
  request: CacheRequestSchema,
  answer: z.string(),
  usage: z.object({ promptTokens: z.number().min(0), completionTokens: z.number().min(0) }).optional(),
  /** ISO time the answer was received. */
  createdAt: z.string(),
});
export type CacheEntry = z.infer<typeof CacheEntrySchema>;

/** Where entries live: memory (tests, one session), a JSONL file (CLI), IndexedDB (browser). */
export interface CacheStore {
  get(key: string): Promise<CacheEntry | undefined>;
  set(entry: CacheEntry): Promise<void>;
  entries(): Promise<CacheEntry[]>;
  size(): Promise<number>;
  clear(): Promise<void>;
}

const SECRET_HEADER = /authorization|api[-_]?key|token|secret|cookie|session|password|signature/i;

/** Headers that may enter a key or a file: everything that does not look like a credential. */
export function nonSecretHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  const kept = Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !SECRET_HEADER.test(name))
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** JSON with object keys sorted at every level and undefined fields dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const fields = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
  return `{${fields.join(',')}}`;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Normalise a request (trailing slashes, secret headers) so equal requests get equal keys. */
export function cacheRequest(input: Omit<CacheRequest, 'v'>): CacheRequest {
  return {
    v: 1,
    kind: input.kind,
    baseURL: input.baseURL.trim().replace(/\/+$/, ''),
    model: input.model,
    temperature: input.temperature,
    maxTokens: input.maxTokens,
    headers: nonSecretHeaders(input.headers),
    prompt: input.prompt,
  };
}

export async function cacheKey(request: CacheRequest): Promise<string> {
  return sha256Hex(canonicalJson(request));
}

export class MemoryCacheStore implements CacheStore {
  private readonly map = new Map<string, CacheEntry>();
  async get(key: string) {
    return this.map.get(key);
  }
  async set(entry: CacheEntry) {
    this.map.set(entry.key, entry);
  }
  async entries() {
    return [...this.map.values()];
  }
  async size() {
    return this.map.size;
  }
  async clear() {
    this.map.clear();
  }
}

/** One problem line of a JSONL cache file (1-based line numbers). */
export interface CacheLineProblem {
  line: number;
  message: string;
}

/** Parse and check one JSONL line: valid JSON, the entry shape, and a key that matches its request. */
export async function parseCacheLine(text: string): Promise<CacheEntry> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${errorMessage(error)})`, { cause: error });
  }
  const parsed = CacheEntrySchema.safeParse(value);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; '));
  const expected = await cacheKey(parsed.data.request);
  if (expected !== parsed.data.key) throw new Error('key does not match its request (edited or corrupted entry)');
  return parsed.data;
}

export class CacheImportError extends Error {
  constructor(readonly problems: CacheLineProblem[]) {
    const shown = problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`);
    super(
      `The cache file was not imported (nothing was changed): ${problems.length} bad line(s).\n- ${shown.join('\n- ')}${problems.length > 5 ? `\n- … ${problems.length - 5} more` : ''}`,
    );
    this.name = 'CacheImportError';
  }
}

/** The whole cache as JSON Lines, one entry per line, oldest first. */
export async function exportCacheJsonl(store: CacheStore): Promise<string> {
  const entries = await store.entries();
  entries.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length > 0 ? '\n' : '');
}

/**
 * Merge a JSONL export into `store`. Every line is checked first; if any is bad, CacheImportError
 * is thrown and the store is left exactly as it was. Blank lines are ignored.
 */
export async function importCacheJsonl(store: CacheStore, text: string): Promise<{ imported: number }> {
  const problems: CacheLineProblem[] = [];
  const entries: CacheEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    try {
      entries.push(await parseCacheLine(lines[i]));
    } catch (error) {
      problems.push({ line: i + 1, message: errorMessage(error) });
    }
  }
  if (problems.length > 0) throw new CacheImportError(problems);
  for (const entry of entries) await store.set(entry);
  return { imported: entries.length };
}
