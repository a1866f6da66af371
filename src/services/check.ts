import type { Executor } from '../graph/executor.js';
import * as store from '../graph/stores/check.js';
import type { Page, StoredExcerpt, StoredIdentifiers } from '../graph/stores/check.js';
import { identifierKey } from '../model/identifiers.js';
import { codePoints, sha256, sliceCodePoints } from '../model/text.js';

/**
 * The store's integrity check (`kg check`): the invariants every write path must keep, verified on the
 * whole store, page by page (no transaction reads more than one page). The operator runs it before and
 * after a restore; the test run runs it on the test store after the integration suites.
 */

export const INVARIANTS = {
  'claim-without-excerpt': 'A claim is backed by at least one excerpt (SUPPORTED_BY)',
  'excerpt-not-in-source':
    "An excerpt is in exactly one source, and its words are that source's text between its code-point offsets",
  'source-hash-mismatch': "A source's sha256 is the sha256 of its text's UTF-8 bytes",
  'relation-without-claim':
    'A relationship between entities cites claims (claimIds), each a claim about one of its ends',
  'claim-edges-disagree':
    "A claim's subjectId and objectId are the ids its ABOUT and OBJECT edges point at (one each; no OBJECT without objectId)",
  'audit-merge-missing': 'Every merge record (merge-…) a merge or unmerge audit record names exists',
  'figure-text-not-quoted':
    "A figure's stated words (Figure.text) occur, exactly, in an excerpt of the claim that asserts it",
  'event-places-stale':
    "An event's IN_PLACE and WITH_ACTOR rows are those its OCCURRED_IN, PART_OF chain, INVOLVED_IN and dates give (the place-and-date listing and the actor's timeline read them)",
  'relation-type-misfit':
    'A relationship joins the types of entity its type allows (HELD_IN: to a facility; COMMANDS: from a person) and has a position only where its type takes one; a facility kind is only on a facility',
  'identifier-key-stale':
    "An entity's identifier keys (what entityByIdentifier and import reuse find it by) are the canonical keys of its identifiers, no more, no fewer",
} as const;

export type InvariantName = keyof typeof INVARIANTS;

export interface InvariantResult {
  name: InvariantName;
  description: string;
  /** How many records break it (all of them, not only those listed). */
  count: number;
  /** The ids of the first `idsPerInvariant` of them, in the order the check read them. */
  ids: string[];
}

export interface CheckReport {
  clean: boolean;
  invariants: InvariantResult[];
  /** Records read, by kind. */
  scanned: Record<'claims' | 'sources' | 'excerpts' | 'entities' | 'auditRecords' | 'figures', number>;
  ms: number;
}

export interface CheckOptions {
  /** Records per page (per read transaction); sources are read a few at a time whatever this says. */
  pageSize?: number;
  /** Ids listed per invariant (the count is always complete). */
  idsPerInvariant?: number;
  /** Called after every page: what is being read and how many so far. */
  onProgress?: (what: string, scanned: number) => void;
}

const SOURCES_PER_PAGE = 4;

class Findings {
  private readonly found = new Map<InvariantName, { count: number; ids: string[] }>();
  constructor(private readonly cap: number) {
    for (const name of Object.keys(INVARIANTS) as InvariantName[])
      this.found.set(name, { count: 0, ids: [] });
  }
  add(name: InvariantName, ids: readonly string[]): void {
    const f = this.found.get(name)!;
    f.count += ids.length;
    for (const id of ids) if (f.ids.length < this.cap) f.ids.push(id);
  }
  results(): InvariantResult[] {
    return [...this.found].map(([name, f]) => ({ name, description: INVARIANTS[name], ...f }));
  }
}

/** Reads every page of one kind, in order, handing each to `use`; returns how many records were read. */
async function everyPage<T>(
  read: (after: string) => Promise<Page<T>>,
  use: (found: T) => Promise<void> | void,
  progress: (scanned: number) => void,
): Promise<number> {
  let after = '';
  let scanned = 0;
  for (;;) {
    const p = await read(after);
    if (p.next === null) return scanned;
    scanned += p.scanned;
    await use(p.found);
    progress(scanned);
    after = p.next;
  }
}

/** Excerpts whose words are not their source's slice; one source's code points are kept at a time. */
function excerptChecker(ex: Executor, findings: Findings) {
  let cached: { id: string; points: string[] | null } | null = null;
  const pointsOf = async (id: string) => {
    if (cached?.id !== id) {
      const text = await store.sourceText(ex, id);
      cached = { id, points: text === null ? null : codePoints(text) };
    }
    return cached.points;
  };
  return async (excerpts: StoredExcerpt[]) => {
    const bad: string[] = [];
    for (const e of excerpts) {
      const points = e.sourceIds.length === 1 ? await pointsOf(e.sourceIds[0]!) : null;
      const { start, end } = e;
      const sound =
        points !== null &&
        Number.isInteger(start) &&
        Number.isInteger(end) &&
        start! >= 0 &&
        start! <= end! &&
        end! <= points.length &&
        sliceCodePoints(points, start!, end!) === e.exact;
      if (!sound) bad.push(e.id);
    }
    findings.add('excerpt-not-in-source', bad);
  };
}

/** Whether an entity's stored keys differ (as sets) from the canonical keys of its identifiers. */
function staleKeys(e: StoredIdentifiers): boolean {
  let identifiers: { scheme: string; value: string }[];
  try {
    identifiers = JSON.parse(e.identifiersJson ?? '[]') as typeof identifiers;
  } catch {
    return true;
  }
  if (!Array.isArray(identifiers)) return true;
  const want = new Set(identifiers.map((i) => identifierKey(String(i.scheme), String(i.value))));
  const have = new Set(e.identifierKeys);
  return want.size !== have.size || [...want].some((k) => !have.has(k));
}

export async function checkStore(executor: Executor, opts: CheckOptions = {}): Promise<CheckReport> {
  const started = Date.now();
  const limit = opts.pageSize ?? 1000;
  const findings = new Findings(opts.idsPerInvariant ?? 100);
  const progress = (what: string) => (n: number) => opts.onProgress?.(what, n);

  const claims = await everyPage(
    (after) => store.claimsPage(executor, after, limit),
    (f) => {
      findings.add('claim-without-excerpt', f.withoutExcerpt);
      findings.add('claim-edges-disagree', f.edgesDisagree);
    },
    progress('claims'),
  );
  const sources = await everyPage(
    (after) => store.sourcesPage(executor, after, SOURCES_PER_PAGE),
    (found) =>
      findings.add(
        'source-hash-mismatch',
        found.filter((s) => s.text === null || sha256(s.text) !== s.sha256).map((s) => s.id),
      ),
    progress('sources'),
  );
  const excerpts = await everyPage(
    (after) => store.excerptsPage(executor, after, limit),
    excerptChecker(executor, findings),
    progress('excerpts'),
  );
  const entities = await everyPage(
    (after) => store.relationsPage(executor, after, limit),
    (found) => {
      findings.add('relation-without-claim', found.withoutClaim);
      findings.add('relation-type-misfit', found.misfit);
      findings.add(
        'identifier-key-stale',
        found.identified.filter(staleKeys).map((e) => e.id),
      );
    },
    progress('relationships of entities'),
  );
  const auditRecords = await everyPage(
    (after) => store.auditMergesPage(executor, after, limit),
    (ids) => findings.add('audit-merge-missing', ids),
    progress('audit records'),
  );
  const figures = await everyPage(
    (after) => store.figuresPage(executor, after, limit),
    (ids) => findings.add('figure-text-not-quoted', ids),
    progress('figures'),
  );
  await everyPage(
    (after) => store.eventPlacesPage(executor, after, limit),
    (ids) => findings.add('event-places-stale', ids),
    progress('events and their places'),
  );
  const invariants = findings.results();
  return {
    clean: invariants.every((i) => i.count === 0),
    invariants,
    scanned: { claims, sources, excerpts, entities, auditRecords, figures },
    ms: Date.now() - started,
  };
}
