// Known OpenAI-compatible providers: where they live and where their key comes from. A preset only
// fills in a base URL and a key source; every field stays editable per expert.

export interface ProviderPreset {
  id: string;
  label: string;
  baseURL: string;
  /** The environment variable the CLI reads the key from; null for local servers that need none. */
  apiKeyEnv: string | null;
  /** True for servers on the user's own machine (no key, no money; CORS must allow the page). */
  local: boolean;
  /** Headers the provider asks for or recommends. */
  headers?: Record<string, string>;
  note: string;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    baseURL: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    local: false,
    note: 'Paid; set prices per 1M tokens to track money.',
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    apiKeyEnv: 'OPENROUTER_API_KEY',
    local: false,
    headers: { 'X-Title': 'DER Workbench' },
    note: 'Many models behind one key; model names look like "meta-llama/llama-3.1-8b-instruct".',
  },
  {
    id: 'together',
    label: 'Together AI',
    baseURL: 'https://api.together.xyz/v1',
    apiKeyEnv: 'TOGETHER_API_KEY',
    local: false,
    note: 'Open models by their Hugging Face-style names.',
  },
  {
    id: 'vllm',
    label: 'vLLM (local)',
    baseURL: 'http://localhost:8000/v1',
    apiKeyEnv: 'VLLM_API_KEY',
    local: true,
    note: 'vllm serve <model>; for a browser page add --allowed-origins \'["http://localhost:5173"]\'. The key is only needed with --api-key.',
  },
  {
    id: 'ollama',
    label: 'Ollama (local)',
    baseURL: 'http://localhost:11434/v1',
    apiKeyEnv: null,
    local: true,
    note: 'For a browser page start it with OLLAMA_ORIGINS set to the page origin.',
  },
  {
    id: 'lmstudio',
    label: 'LM Studio (local)',
    baseURL: 'http://localhost:1234/v1',
    apiKeyEnv: 'LM_API_TOKEN',
    local: true,
    note: 'Start the server in the Developer tab (or `lms server start --cors`) and turn on "Enable CORS" for a browser page. A key (LM_API_TOKEN) only when "Require Authentication" is on.',
  },
];

export function findPreset(id: string): ProviderPreset | undefined {
  return PROVIDER_PRESETS.find((p) => p.id === id);
}

/** The preset whose base URL matches (ignoring a trailing slash), e.g. to pick a key env var. */
export function presetForBaseURL(baseURL: string): ProviderPreset | undefined {
  const wanted = baseURL.replace(/\/+$/, '').toLowerCase();
  return PROVIDER_PRESETS.find((p) => p.baseURL.toLowerCase() === wanted);
}
