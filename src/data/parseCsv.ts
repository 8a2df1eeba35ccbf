// CSV after RFC 4180: fields separated by a delimiter, records by CRLF or LF (a lone CR too);
// a field in double quotes may hold delimiters, line breaks and doubled quotes (""). The first
// record is the header. Problems name the data row (1-based, header excluded) and the line.
import type { DatasetIssue } from './datasetSchema';

export interface CsvRecord {
  /** Column name → cell text. */
  values: Record<string, string>;
  /** 1-based data row (the header is row 0). */
  row: number;
  /** 1-based physical line where the record starts (a quoted cell may span lines). */
  line: number;
}

export interface ParsedCsv {
  header: string[];
  records: CsvRecord[];
  issues: DatasetIssue[];
  warnings: string[];
}

interface RawRecord {
  fields: string[];
  line: number;
}

/** Splits CSV text into raw records of fields. Pure tokenising: no header logic. */
export function tokenizeCsv(text: string, delimiter = ','): { records: RawRecord[]; issues: DatasetIssue[]; strayQuotes: number } {
  const records: RawRecord[] = [];
  const issues: DatasetIssue[] = [];
  let strayQuotes = 0;
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  // True once the current record has any content; a blank line yields no record.
  let recordStarted = false;

  const endRecord = () => {
    if (recordStarted) {
      fields.push(field);
      records.push({ fields, line: recordLine });
    }
    fields = [];
    field = '';
    recordStarted = false;
  };

  while (i < n) {
    const ch = text[i];
    if (!recordStarted) recordLine = line;
    if (ch === '"' && field === '') {
      // Quoted field: read to the closing quote.
      recordStarted = true;
      const quoteLine = line;
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (c === '\n') line++;
        else if (c === '\r' && text[i + 1] !== '\n') line++;
        field += c;
        i++;
      }
      if (!closed) {
        issues.push({
          location: { kind: 'line', line: quoteLine },
          message: 'a quoted field opened here is never closed (a missing " at the end of the cell?)',
        });
        fields.push(field);
        records.push({ fields, line: recordLine });
        return { records, issues, strayQuotes };
      }
      const next = text[i];
      if (i < n && next !== delimiter && next !== '\n' && next !== '\r') {
        issues.push({
          location: { kind: 'line', line },
          message: `unexpected character ${JSON.stringify(next)} after a closing quote; inside a quoted cell write a quote as ""`,
        });
        // Resynchronise at the next delimiter or line break.
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') i++;
      }
      continue;
    }
    if (ch === delimiter) {
      recordStarted = true;
      fields.push(field);
      field = '';
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      endRecord();
      line++;
      continue;
    }
    // Lenient: a quote inside an unquoted cell is kept as text (common in hand-made files).
    if (ch === '"') strayQuotes++;
    recordStarted = true;
    field += ch;
    i++;
  }
  endRecord();
  return { records, issues, strayQuotes };
}

export function parseCsv(text: string, delimiter = ',', maxIssues = 50): ParsedCsv {
  const { records: raw, issues, strayQuotes } = tokenizeCsv(text, delimiter);
  const warnings: string[] = [];
  if (strayQuotes > 0) warnings.push(`${strayQuotes} quote character(s) inside unquoted cells were kept as text.`);
  if (raw.length === 0) return { header: [], records: [], issues, warnings };

  const header = raw[0].fields.map((name) => name.trim());
  const seen = new Map<string, number>();
  header.forEach((name, column) => {
    if (name === '') {
      issues.push({ location: { kind: 'line', line: raw[0].line }, message: `header column ${column + 1} has no name` });
    } else if (seen.has(name)) {
      issues.push({
        location: { kind: 'line', line: raw[0].line },
        field: name,
        message: `header names column "${name}" twice (columns ${(seen.get(name) as number) + 1} and ${column + 1})`,
      });
    } else {
      seen.set(name, column);
    }
  });

  const records: CsvRecord[] = [];
  for (let r = 1; r < raw.length; r++) {
    const { fields, line } = raw[r];
    if (fields.length !== header.length) {
      if (issues.length < maxIssues) {
        issues.push({
          location: { kind: 'row', row: r, line },
          message: `has ${fields.length} cell(s) but the header has ${header.length}; quote cells that contain "${delimiter}" or line breaks`,
        });
      }
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((name, column) => {
      values[name] = fields[column];
    });
    records.push({ values, row: r, line });
  }
  return { header, records, issues, warnings };
}
