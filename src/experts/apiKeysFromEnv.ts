// The CLI's source of API keys: environment variables. An expert's key comes from its `apiKeyEnv`,
// else from its provider preset's variable (matched by base URL, e.g. OPENAI_API_KEY for
// api.openai.com). Any other server gets no key unless the pool file names a variable: an
// OPENAI_API_KEY must never travel to an unrelated server. Pure (the env is passed in).
import type { ExpertSpec } from '../der/config';
import { presetForBaseURL } from './providerPresets';

export interface EnvApiKeys {
  /** Keys by expert name, for createExpertPool's `apiKeys`. */
  apiKeys: Record<string, string>;
  /** Where each openai expert's key was looked for, for error messages (never the key itself). */
  apiKeySources: Record<string, string>;
  /** Experts whose named variable is unset (a warning, not an error: local servers need no key). */
  missing: { expert: string; variable: string }[];
}

export function apiKeysFromEnv(specs: readonly ExpertSpec[], env: Record<string, string | undefined>): EnvApiKeys {
  const result: EnvApiKeys = { apiKeys: {}, apiKeySources: {}, missing: [] };
  for (const spec of specs) {
    if (spec.kind !== 'openai') continue;
    const preset = spec.baseURL ? presetForBaseURL(spec.baseURL) : undefined;
    const variable = spec.apiKeyEnv ?? preset?.apiKeyEnv ?? null;
    if (!variable) {
      result.apiKeySources[spec.name] = `the environment: set "apiKeyEnv" for this expert in the pool file to the variable that holds the key`;
      continue;
    }
    result.apiKeySources[spec.name] = `the environment variable ${variable}`;
    const value = env[variable];
    if (value) result.apiKeys[spec.name] = value;
    else if (spec.apiKeyEnv || (preset && !preset.local)) result.missing.push({ expert: spec.name, variable });
  }
  return result;
}
