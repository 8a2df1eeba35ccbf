// A pool file: {"experts": [{name, kind, model, baseURL, sizeB, ...}]}. Validated with zod; every
// error names the expert (index and name) and the field. API keys are refused: they come from the
// UI or the environment, so a pool file can be shared and committed safely.
import { z } from 'zod';
import { ExpertSpecSchema, POOL_TOO_SMALL, type ExpertSpec } from '../der/config';
import { errorMessage } from '../der/errorMessage';

export class PoolFileError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`Invalid pool file ${source}:\n- ${issues.join('\n- ')}`);
    this.name = 'PoolFileError';
  }
}

const KEY_FIELDS = ['apiKey', 'api_key', 'apikey', 'key', 'token', 'secret', 'password'];
const SECRET_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key|cookie)$/i;

const PoolFileSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    experts: z.array(z.unknown(), { error: '"experts" must be an array of expert objects' }).min(1, 'a pool needs at least one expert'),
  })
  .strict();

function label(index: number, raw: unknown): string {
  const name = typeof raw === 'object' && raw !== null && typeof (raw as { name?: unknown }).name === 'string' ? ` ("${(raw as { name: string }).name}")` : '';
  return `experts[${index}]${name}`;
}

function isHttpURL(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Check one already-shaped spec for what its kind needs. */
function kindIssues(spec: ExpertSpec): string[] {
  const issues: string[] = [];
  if (spec.kind === 'openai') {
    if (!spec.model) issues.push('model: an openai expert needs "model" (the name the server knows it by)');
    if (!spec.baseURL) issues.push('baseURL: an openai expert needs "baseURL" (e.g. http://localhost:11434/v1)');
    else if (!isHttpURL(spec.baseURL) && !spec.baseURL.startsWith('/'))
      issues.push(`baseURL: "${spec.baseURL}" is neither an http(s) URL nor a same-origin proxy path starting with "/"`);
  }
  if (spec.kind === 'recorded' && !spec.candidate && !spec.model)
    issues.push('candidate: a recorded expert needs "candidate" (or "model"): the candidate model name stored in the dataset');
  if (spec.kind === 'browser' && !spec.model) issues.push('model: a browser expert needs "model" (the model id to load)');
  return issues;
}

/** Validate a parsed pool-file value; returns the expert specs or throws PoolFileError naming every problem. */
export function parsePoolValue(value: unknown, source = '(pool)'): ExpertSpec[] {
  const top = PoolFileSchema.safeParse(value);
  if (!top.success)
    throw new PoolFileError(
      source,
      top.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    );
  const issues: string[] = [];
  const specs: ExpertSpec[] = [];
  top.data.experts.forEach((raw, index) => {
    const where = label(index, raw);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      issues.push(`${where}: must be an object like {"name": "...", "kind": "openai", ...}`);
      return;
    }
    const keyField = Object.keys(raw).find((k) => KEY_FIELDS.includes(k));
    if (keyField) {
      issues.push(
        `${where}.${keyField}: API keys are not allowed in a pool file; keys come from the UI or the environment (name the variable with "apiKeyEnv").`,
      );
      return;
    }
    const headers = (raw as { headers?: unknown }).headers;
    if (typeof headers === 'object' && headers !== null) {
      const secret = Object.keys(headers).find((h) => SECRET_HEADER.test(h));
      if (secret) {
        issues.push(
          `${where}.headers.${secret}: credentials are not allowed in a pool file; keys come from the UI or the environment (name the variable with "apiKeyEnv").`,
        );
        return;
      }
    }
    const parsed = ExpertSpecSchema.strict().safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push(`${where}.${issue.path.join('.') || '(expert)'}: ${issue.message}`);
      return;
    }
    for (const issue of kindIssues(parsed.data)) issues.push(`${where}.${issue}`);
    specs.push(parsed.data);
  });
  const seen = new Map<string, number>();
  specs.forEach((spec) => seen.set(spec.name, (seen.get(spec.name) ?? 0) + 1));
  for (const [name, count] of seen)
    if (count > 1) issues.push(`experts: the name "${name}" is used ${count} times; names must be unique (they label routes and key API keys)`);
  // Checked last, so that a one-expert file with other problems hears about those first.
  if (issues.length === 0 && specs.length < 2) issues.push(`experts: ${POOL_TOO_SMALL}.`);
  if (issues.length > 0) throw new PoolFileError(source, issues);
  return specs;
}

/** Parse the text of a pool file (JSON). */
export function parsePoolFile(text: string, source = '(pool file)'): ExpertSpec[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PoolFileError(source, [`not valid JSON: ${errorMessage(error)}`]);
  }
  return parsePoolValue(value, source);
}
