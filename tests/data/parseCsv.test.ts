import { describe, expect, it } from 'vitest';
import { parseCsv, tokenizeCsv } from '../../src/data/parseCsv';

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted cells with delimiters, doubled quotes and line breaks, with CRLF records', () => {
    const text = 'id,instruction,output\r\n1,"Say ""hi"", politely","Hi,\r\nthere"\r\n2,plain,""\r\n';
    const { header, records, issues } = parseCsv(text);
    expect(issues).toEqual([]);
    expect(header).toEqual(['id', 'instruction', 'output']);
    expect(records.map((r) => r.values)).toEqual([
      // Line ends are read as LF, inside quoted cells too (files mix CRLF, LF and CR).
      { id: '1', instruction: 'Say "hi", politely', output: 'Hi,\nthere' },
      { id: '2', instruction: 'plain', output: '' },
    ]);
    // Row 2 starts on line 4 because row 1's quoted cell spans lines 2–3.
    expect(records.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [2, 4],
    ]);
  });

  it('accepts LF and lone-CR line ends, no final newline, and skips blank lines', () => {
    const { records } = parseCsv('a,b\n1,2\r3,4\n\n5,6');
    expect(records.map((r) => [r.values.a, r.values.b, r.line])).toEqual([
      ['1', '2', 2],
      ['3', '4', 3],
      ['5', '6', 5],
    ]);
  });

  it('reads tab-separated text with the tab delimiter', () => {
    const { records } = parseCsv('q\ta\nwhat, then?\tthis', '\t');
    expect(records[0].values).toEqual({ q: 'what, then?', a: 'this' });
  });

  it('keeps empty leading and trailing cells', () => {
    expect(tokenizeCsv(',x,\n').records[0].fields).toEqual(['', 'x', '']);
  });

  it('names the row and line of a record with the wrong number of cells', () => {
    const { issues, records } = parseCsv('a,b\n1,2\n3,4,5\n6,7');
    expect(records).toHaveLength(2);
    expect(issues).toHaveLength(1);
    expect(issues[0].location).toEqual({ kind: 'row', row: 2, line: 3 });
    expect(issues[0].message).toMatch(/3 cell\(s\) but the header has 2/);
  });

  it('reports an unterminated quote at the line where it opened', () => {
    const { issues } = parseCsv('a,b\n1,2\n3,"never closed\nmore\n');
    expect(issues).toHaveLength(1);
    expect(issues[0].location).toEqual({ kind: 'line', line: 3 });
    expect(issues[0].message).toMatch(/never closed/);
  });

  it('reports text after a closing quote', () => {
    const { issues } = parseCsv('a,b\n"x"y,2\n');
    expect(issues[0]).toMatchObject({ location: { kind: 'line', line: 2 } });
    expect(issues[0].message).toMatch(/after a closing quote/);
  });

  it('keeps a stray quote inside an unquoted cell as text, with a warning', () => {
    const { records, warnings } = parseCsv('a\n5" screen\n');
    expect(records[0].values.a).toBe('5" screen');
    expect(warnings.join(' ')).toMatch(/1 quote/);
  });

  it('rejects duplicate and empty header names', () => {
    const { issues } = parseCsv('a,a,\n1,2,3\n');
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/column "a" twice \(columns 1 and 2\)/),
      expect.stringMatching(/column 3 has no name/),
    ]);
  });
});
