/**
 * A small RFC 4180 CSV reader (no dependency: csv-parse is not installed). Besides the fields it keeps
 * where each record sits in the text — its first line number and its UTF-16 span without the line
 * break — so that an importer can cite a record's exact words as evidence and report problems by line.
 *
 * RFC 4180, with the usual leniencies: records end with CRLF or LF (a lone CR too), the last record
 * may lack a line break, and blank lines are skipped. A quoted field may hold commas, line breaks and
 * doubled quotes (""). A quote inside an unquoted field, text after a closing quote and an unclosed
 * quote are problems, reported with their line; parsing goes on at the next record so that every
 * problem is found in one pass.
 */

export interface CsvRecord {
  fields: string[];
  /** 1-based line on which the record starts. */
  line: number;
  /** UTF-16 span of the record's text in the input, without its line break. */
  start: number;
  end: number;
}

export interface CsvProblem {
  line: number;
  message: string;
}

export function parseCsv(text: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;

  // At the start of each iteration, i is the start of a record.
  while (i < n) {
    const recordStart = i;
    const recordLine = line;
    const fields: string[] = [];
    let bad: string | null = null;
    let ended = false;

    while (!ended) {
      let value = '';
      if (text[i] === '"') {
        // Quoted field: up to the next quote not doubled.
        i += 1;
        let closed = false;
        while (i < n) {
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            closed = true;
            i += 1;
            break;
          }
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line += 1;
          value += ch;
          i += 1;
        }
        if (!closed) {
          bad ??= 'a quoted field is not closed before the end of the file';
          fields.push(value);
          break;
        }
        // After the closing quote: a separator, a line break or the end.
        if (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          bad ??= 'text after the closing quote of a field (a quote inside a field must be doubled)';
          while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') i += 1;
        }
      } else {
        const from = i;
        while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') i += 1;
        value = text.slice(from, i);
        if (value.includes('"')) {
          bad ??= 'a quote inside an unquoted field (quote the field and double the quote)';
        }
      }
      fields.push(value);
      if (i < n && text[i] === ',') {
        i += 1;
        continue;
      }
      ended = true;
    }

    const recordEnd = i;
    // Consume the line break.
    if (text[i] === '\r') i += text[i + 1] === '\n' ? 2 : 1;
    else if (text[i] === '\n') i += 1;
    if (i > recordEnd) line += 1;

    if (bad) problems.push({ line: recordLine, message: bad });
    const blank = fields.length === 1 && fields[0] === '' && recordEnd === recordStart;
    if (!blank) records.push({ fields, line: recordLine, start: recordStart, end: recordEnd });
  }
  return { records, problems };
}
