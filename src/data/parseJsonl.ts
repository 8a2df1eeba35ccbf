// JSON Lines: one JSON value per line. Blank lines are skipped; a line that is not JSON is reported
// with its line number and the parser's reason, and parsing goes on so all bad lines are listed.
import type { DatasetIssue, RecordLocation } from './datasetSchema';

export interface LocatedRecord {
  value: unknown;
  location: RecordLocation;
}

export interface ParsedRecords {
  records: LocatedRecord[];
  issues: DatasetIssue[];
  warnings: string[];
}

export function parseJsonl(text: string, maxIssues = 50): ParsedRecords {
  const records: LocatedRecord[] = [];
  const issues: DatasetIssue[] = [];
  let blankLines = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '') {
      if (i < lines.length - 1) blankLines++;
      continue;
    }
    const location: RecordLocation = { kind: 'line', line: i + 1 };
    try {
      records.push({ value: JSON.parse(line), location });
    } catch (err) {
      if (issues.length < maxIssues) {
        issues.push({ location, message: `not valid JSON (${jsonErrorReason(err)}); each line must hold one JSON object` });
      }
    }
  }
  const warnings = blankLines > 0 ? [`${blankLines} blank line(s) skipped.`] : [];
  return { records, issues, warnings };
}

/** The parser's reason without its noisy "in JSON at position…" tail, which refers to the line, not the file. */
export function jsonErrorReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s*in JSON at position \d+.*$/s, '').trim() || message;
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
