// The experiment in the URL hash (TensorFlow Playground style): `#c=<base64url JSON>&hide=alpha,pool`.
// The whole config (seed included) travels, so a link reproduces the setup; secrets never do: every
// key-like field is stripped before encoding, and again on decoding (a hand-edited link may carry one).
// The compute backend is not part of the experiment: it lives in the query (`?backend=wasm`).
import { ExperimentConfigSchema, type ExperimentConfig } from './config';
import { errorMessage } from './errorMessage';

/** Field names that may hold a credential. `apiKeyEnv` is only the NAME of an environment variable. */
const SECRET_FIELD = /(api[-_]?key|apikey|secret|password|passwd|authorization|access[-_]?token|auth[-_]?token|bearer|^key$|^token$|cookie)/i;
const ALLOWED_FIELDS = new Set(['apiKeyEnv']);
/** Header values that look like credentials even under an innocent header name. */
const SECRET_VALUE = /^(bearer\s|basic\s|sk-[a-z0-9_-]{8,}|sk_[a-z0-9_-]{8,})/i;

/** A deep copy without any credential-looking field or value. */
export function stripSecretsForUrl<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => stripSecretsForUrl(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (SECRET_FIELD.test(key) && !ALLOWED_FIELDS.has(key)) continue;
      if (typeof v === 'string' && SECRET_VALUE.test(v)) continue;
      out[key] = stripSecretsForUrl(v);
    }
    return out as T;
  }
  return value;
}

export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(encoded: string): string {
  const base64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

export interface UrlExperiment {
  config: ExperimentConfig;
  /** Control ids hidden in lesson mode. */
  hidden: string[];
}

/** `#c=...&hide=...` for a config and a lesson hide list (without the leading '#'). */
export function encodeHash(config: ExperimentConfig, hidden: readonly string[] = []): string {
  const parts = [`c=${toBase64Url(JSON.stringify(stripSecretsForUrl(config)))}`];
  const hide = [...new Set(hidden)].filter((id) => /^[A-Za-z0-9_-]+$/.test(id));
  if (hide.length > 0) parts.push(`hide=${hide.join(',')}`);
  return parts.join('&');
}

/** Readable overrides a person may type after the encoded config, e.g. `#c=...&alpha=0.01&seed=7`. */
/** A config read from a link before validation: any shape, with the reward knobs checked to be an object. */
type RawConfig = Record<string, unknown> & { reward: Record<string, unknown> };

const READABLE_OVERRIDES: Record<string, (c: RawConfig, v: number) => void> = {
  seed: (c, v) => (c.seed = v),
  alpha: (c, v) => (c.reward.alpha = v),
  beta: (c, v) => (c.reward.beta = v),
  gamma: (c, v) => (c.reward.gamma = v),
  p0: (c, v) => (c.reward.p0 = v),
  tmax: (c, v) => (c.reward.tmax = v),
};

export type HashDecodeResult =
  { kind: 'empty'; hidden: string[] } | { kind: 'ok'; config: ExperimentConfig; hidden: string[] } | { kind: 'invalid'; errors: string[]; hidden: string[] };

/**
 * Reads a hash back. `base` fills in a hash that carries only readable overrides or a hide list.
 * Never throws: a broken link yields the reasons, so the page can say what was wrong and go on.
 */
export function decodeHash(hash: string, base: ExperimentConfig): HashDecodeResult {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const hidden = (params.get('hide') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const encoded = params.get('c');
  const overrides = Object.keys(READABLE_OVERRIDES).filter((k) => params.has(k));
  if (encoded === null && overrides.length === 0) return { kind: 'empty', hidden };

  let raw: RawConfig;
  try {
    raw = encoded === null ? structuredClone(base) : JSON.parse(fromBase64Url(encoded));
  } catch (error) {
    return { kind: 'invalid', hidden, errors: [`the link's config could not be read (${errorMessage(error)}); was the link cut short when it was copied?`] };
  }
  if (raw === null || typeof raw !== 'object' || typeof raw.reward !== 'object' || raw.reward === null) {
    return { kind: 'invalid', hidden, errors: ["the link's config is not an experiment config (no reward knobs)"] };
  }
  const errors: string[] = [];
  for (const key of overrides) {
    const text = params.get(key)!;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) errors.push(`${key}: "${text}" is not a number`);
    else READABLE_OVERRIDES[key](raw, value);
  }
  const parsed = ExperimentConfigSchema.safeParse(stripSecretsForUrl(raw));
  if (!parsed.success) errors.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
  if (!parsed.success || errors.length > 0) return { kind: 'invalid', hidden, errors };
  return { kind: 'ok', config: parsed.data, hidden };
}

const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** `?backend=` from a query string; null when absent or unknown. */
export function backendFromQuery(search: string): BackendName | null {
  const b = new URLSearchParams(search).get('backend');
  return (BACKENDS as readonly string[]).includes(b ?? '') ? (b as BackendName) : null;
}

/** The query with `backend` set (or removed for 'auto'), other parameters kept. */
export function queryWithBackend(search: string, backend: BackendName): string {
  const params = new URLSearchParams(search);
  if (backend === 'auto') params.delete('backend');
  else params.set('backend', backend);
  const text = params.toString();
  return text ? `?${text}` : '';
}
