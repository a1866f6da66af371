import type { z } from 'zod';
import { BundleError, type Problem } from '../bundle/resolve.js';
import type { BundleInput } from '../bundle/schema.js';
import { codePointLength, isWellFormed, sha256 } from '../../model/text.js';

/**
 * What the FtM and ACLED importers share. Both turn a file into an hrkg-bundle/1 document (so that
 * every import goes through the bundle loader's validation, idempotent writes and audit), store the file
 * itself as the evidence source, and cite each derived fact by the exact words of its line or record.
 */

/** A bundle document as the importers make it (the loader then validates and resolves it). */
export type BundleDoc = z.input<typeof BundleInput>;

/** What an importer makes of a file: the bundle document and where each of its records came from. */
export interface ImportPlan {
  doc: BundleDoc;
  /** Where each record of doc came from. */
  lines: LineMap;
  /** Problems found while reading the file; the loader finds the rest when it resolves doc. */
  problems: Problem[];
  /** Lines or rows read. */
  records: number;
  /**
   * What the file holds that the importer does not map (a schema, a property, a column), counted: reported
   * to the operator, never a reason to refuse the file. Empty when everything was mapped.
   */
  skipped?: ImportSkip[];
}

/** Something of the file left out, how often, and why: `{what: 'schema Vessel', count: 3, reason: '…'}`. */
export interface ImportSkip {
  what: string;
  count: number;
  reason: string;
}

export interface ConvertOptions {
  file: string;
  sha256: string;
  recordedBy: string;
  recordedAt: string;
  /**
   * The dataset the file is a release of (ACLED default "acled"): a later release's claim about the same
   * record and field supersedes an earlier release's when it says something else. Null: none (FtM default).
   */
  dataset?: string | null;
  onProgress?: (done: number, total: number) => void;
}

/** Notes a problem on a line of the input. */
export type ProblemAt = (line: number, message: string) => void;

/** A quote as the bundle format takes it: exact words at code-point offsets (verified by the loader). */
export interface Quote {
  exact: string;
  start: number;
  end: number;
}

/** The bundle format caps a quote at 5,000 characters (UTF-16 units, as zod counts). */
const MAX_QUOTE = 5000;

/**
 * Converts UTF-16 indices of a text to code-point offsets. Importers ask in increasing order (line by
 * line), so one forward cursor makes the whole file linear instead of quadratic.
 */
export class CodePointCursor {
  private utf16 = 0;
  private points = 0;

  constructor(private readonly text: string) {}

  at(index: number): number {
    if (index < this.utf16) return codePointLength(this.text.slice(0, index));
    this.points += codePointLength(this.text.slice(this.utf16, index));
    this.utf16 = index;
    return this.points;
  }

  /** The exact words of [start, end) as a quote; a line longer than a quote may be is cited by its beginning. */
  quote(start: number, end: number): Quote {
    let cut = Math.min(end, start + MAX_QUOTE);
    // Never split a surrogate pair.
    if (cut < end && /[\uD800-\uDBFF]/.test(this.text[cut - 1] ?? '')) cut -= 1;
    const from = this.at(start);
    const exact = this.text.slice(start, cut);
    return { exact, start: from, end: from + codePointLength(exact) };
  }
}

/** The lines of a text with their UTF-16 spans (without the line break) and 1-based numbers. */
export function linesOf(text: string): { line: number; start: number; end: number }[] {
  const out: { line: number; start: number; end: number }[] = [];
  const re = /\r\n|\n|\r/g;
  let from = 0;
  let line = 1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ line, start: from, end: m.index });
    from = m.index + m[0].length;
    line += 1;
  }
  if (from < text.length) out.push({ line, start: from, end: text.length });
  return out;
}

/**
 * A deterministic id from an external identifier or name: readable when it can be (lower-case ASCII
 * letters, digits and dashes), with a short hash when the slug alone would lose information (other
 * characters, such as Arabic script or dots) or would be too long, so that different names never
 * share an id. Upper and lower case are treated as the same name. A slug never contains "--", so
 * derived ids join their suffix with "--" (`cl-ftm-<slug>--name`) and cannot collide with another slug.
 */
export function slugId(prefix: string, raw: string, maxSlug = 60): string {
  const slug = raw
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const lossless = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/.test(raw) && slug.length <= maxSlug;
  if (lossless) return `${prefix}${slug}`;
  const head = slug.slice(0, maxSlug - 11).replace(/-+$/, '');
  return `${prefix}${head ? `${head}-` : ''}${sha256(raw).slice(0, 10)}`;
}

/** Arabic script in a name: the name's language is taken to be Arabic; otherwise undetermined ("und"). */
export function guessLang(name: string, fallback = 'und'): string {
  return /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/.test(name) ? 'ar' : fallback;
}

/** Cuts a text to at most max characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The file's text, refused (with every reason) unless it is valid UTF-8 that round-trips exactly, so
 * that the stored evidence source is byte for byte the file and its sha256 is the file's.
 */
export function evidenceText(bytes: Buffer, what: string): string {
  const text = bytes.toString('utf8');
  const problems: Problem[] = [];
  if (!bytes.length) problems.push({ path: 'file', message: `the ${what} file is empty` });
  else if (!Buffer.from(text, 'utf8').equals(bytes) || !isWellFormed(text)) {
    problems.push({ path: 'file', message: `the ${what} file is not valid UTF-8` });
  }
  if (problems.length) throw new BundleError(problems);
  return text;
}

/** Where each record of the generated bundle came from, to report the loader's problems by line. */
export class LineMap {
  private readonly byPath = new Map<string, number>();
  private readonly byId = new Map<string, number>();

  /** Records that index i of the given list (e.g. claims) came from line. */
  private set(array: string, index: number, line: number, id: string): void {
    this.byPath.set(`${array}[${index}]`, line);
    if (!this.byId.has(id)) this.byId.set(id, line);
  }

  /** The map of a generated bundle document, from the line each record id came from. */
  static of(doc: Record<string, unknown>, lineOf: ReadonlyMap<string, number>): LineMap {
    const map = new LineMap();
    for (const array of ['sources', 'actors', 'places', 'events', 'claims', 'links']) {
      const list = (doc[array] ?? []) as { id?: string }[];
      list.forEach((r, i) => {
        const line = r.id === undefined ? undefined : lineOf.get(r.id);
        if (line !== undefined) map.set(array, i, line, r.id!);
      });
    }
    return map;
  }

  /**
   * Rewrites a loader problem (path claims[3].quotes[0]) as `line N` with the field in the message;
   * problems about the file as a whole keep their path.
   */
  toLine(p: Problem): Problem {
    const m = /^([a-z]+\[\d+\])\.?(.*)$/.exec(p.path);
    const byId = /^entities\((.+)\)$/.exec(p.path);
    const line = m ? this.byPath.get(m[1]!) : byId ? this.byId.get(byId[1]!) : undefined;
    if (line === undefined) return p;
    const field = m?.[2];
    return { path: `line ${line}`, message: field ? `${field}: ${p.message}` : p.message };
  }
}

/** Problems in line order (file-level ones first), as BundleError lists them. */
export function sortProblems(problems: Problem[]): Problem[] {
  const n = (p: Problem) => (/^line (\d+)$/.exec(p.path) ? Number(p.path.slice(5)) : 0);
  return [...problems].sort((a, b) => n(a) - n(b));
}

/** The loader reads no files for imports: their texts are inline. */
export async function noFiles(rel: string): Promise<string> {
  throw new Error(`imports carry their texts inline, not in files (${rel})`);
}
