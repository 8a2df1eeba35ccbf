// Which file format and which row layout a dataset uses. The file name's extension decides when
// it is known; otherwise the first characters do. Row layout comes from the first record's keys.
import type { DatasetFormat, RowShape } from './datasetSchema';

const EXTENSION_FORMATS: Record<string, DatasetFormat> = {
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  json: 'json',
  csv: 'csv',
  tsv: 'tsv',
};

export function formatFromFileName(fileName: string | undefined): DatasetFormat | undefined {
  const match = fileName?.toLowerCase().match(/\.([a-z]+)$/);
  return match ? EXTENSION_FORMATS[match[1]] : undefined;
}

function firstNonEmptyLines(text: string, count: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < count && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    if (line !== '') out.push(line);
    start = end + 1;
  }
  return out;
}

/** Sniffs the format from content: "[" → JSON; "{" on a line that is itself complete JSON → JSONL
 * (unless it is the only line and holds a `data` list); other "{" → pretty-printed JSON; else CSV/TSV. */
export function detectFormatFromContent(text: string): DatasetFormat {
  const [first, second] = firstNonEmptyLines(text, 2);
  if (first === undefined) return 'jsonl';
  if (first.startsWith('[')) return 'json';
  if (first.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(first);
    } catch {
      return 'json';
    }
    if (second === undefined && parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as { data?: unknown }).data)) {
      return 'json';
    }
    return 'jsonl';
  }
  const tabs = first.split('\t').length - 1;
  const commas = first.split(',').length - 1;
  return tabs > 0 && tabs >= commas ? 'tsv' : 'csv';
}

export function detectFormat(text: string, fileName?: string): DatasetFormat {
  return formatFromFileName(fileName) ?? detectFormatFromContent(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** MixInstruct: instruction + a candidates list; GSM8K: question + answer; anything else is generic. */
export function detectRowShape(row: unknown): RowShape {
  if (!isRecord(row)) return 'generic';
  if ('instruction' in row && Array.isArray(row.candidates)) return 'mixinstruct';
  if ('question' in row && 'answer' in row && !('instruction' in row)) return 'gsm8k';
  return 'generic';
}
