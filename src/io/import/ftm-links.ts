import { CLAIM_STATUSES, ROLES, type ClaimStatus, type Role } from '../../model/enums.js';
import type { FuzzyDateInput } from '../../model/fuzzy-date.js';
import {
  RELATION_TYPES,
  relationAllows,
  relationProblems,
  type EntityKind,
  type RelationType,
} from '../../model/graph-model.js';
import { clip } from './common.js';
import { ftmDate, type ClaimFields } from './ftm-fields.js';
import { first, type FtmRecord, type Kind } from './ftm-read.js';

/**
 * The link schemata of the FollowTheMoney import (src/io/import/ftm.ts) as claims: Membership → MEMBER_OF
 * with the role as position and the dates as period; UnknownLink → the relation its ends' kinds (or its
 * role) name; Family and Associate → a statement about the person naming the other (the model has no
 * person-to-person relation). Pure: what cannot be said is returned as a skip, never thrown.
 */

/** One end of a link, with its name and, for an actor, its type. */
export interface End {
  ourId: string;
  kind: Kind;
  name: string | undefined;
  type?: string;
}

/** The ends each link schema joins: the FtM properties and the kinds of record they may name. */
export const LINK_ENDS: Record<string, { from: string; to: string; kinds: Kind[] }> = {
  Membership: { from: 'member', to: 'organization', kinds: ['Actor'] },
  UnknownLink: { from: 'subject', to: 'object', kinds: ['Actor', 'Event', 'Place'] },
  Family: { from: 'person', to: 'relative', kinds: ['Actor'] },
  Associate: { from: 'person', to: 'associate', kinds: ['Actor'] },
  Documentation: { from: 'document', to: 'entity', kinds: ['Actor', 'Event', 'Place'] },
};

/** How a summary says a relation, where its type's words do not read as a verb. */
const VERBS: Partial<Record<RelationType, string>> = {
  MEMBER_OF: 'is a member of',
  SUBORDINATE_TO: 'is subordinate to',
  PART_OF: 'is part of',
  PURSUANT_TO: 'was carried out pursuant to',
  LOCATED_IN: 'is located in',
  INVOLVED_IN: 'was involved in',
  OCCURRED_IN: 'took place in',
};

/** A link's claim, or why the graph cannot hold it (reported as skipped), and problems with its dates. */
export type LinkResult = { claim: ClaimFields; problems: string[] } | { skip: string; problems: string[] };

/** The start (startDate, else date) and end of an interval, and a problem for each value that is no date. */
export function linkPeriod(r: FtmRecord): {
  start: FuzzyDateInput | null;
  end: FuzzyDateInput | null;
  problems: string[];
} {
  const problems: string[] = [];
  const parse = (prop: string) => {
    const raw = first(r, prop);
    if (!raw) return null;
    const d = ftmDate(raw);
    if (d.problem) problems.push(`${prop}: ${d.problem}`);
    return d.date ?? null;
  };
  const start = parse('startDate') ?? parse('date');
  return { start, end: parse('endDate'), problems };
}

/** How a period reads in a summary: " (2011-06 to 2018)", or nothing. */
function when(r: FtmRecord): string {
  const [s, e] = [first(r, 'startDate') ?? first(r, 'date'), first(r, 'endDate')];
  return s || e ? ` (${s ?? '?'} to ${e ?? '?'})` : '';
}

/** The link's own words (summary, description), appended to the claim's summary. */
function linkWords(r: FtmRecord): string {
  const words = [first(r, 'summary'), first(r, 'description')].filter(Boolean);
  return words.length ? `: ${words.join(' ')}` : '';
}

/** The claim a Membership, UnknownLink, Family or Associate makes between its two ends. */
export function linkAssertion(r: FtmRecord, from: End, to: End): LinkResult {
  const period = linkPeriod(r);
  const { problems } = period;
  const id = `cl-ftm-${r.part}`;
  const tail = `${when(r)} (FtM ${r.schema} ${r.ftmId})${linkWords(r)}`;
  if (r.schema === 'Family' || r.schema === 'Associate') {
    const rel = first(r, 'relationship');
    const kin = r.schema === 'Family' ? 'family' : 'an associate';
    const summary = rel ? `${to.name} is the ${rel} of ${from.name}` : `${to.name} is ${kin} of ${from.name}`;
    return { claim: { id, subject: from.ourId, summary: clip(`${summary}${tail}.`, 2000) }, problems };
  }
  const roleText = first(r, 'role');
  const rel =
    r.schema === 'Membership' && !/^subordinate unit$/i.test(roleText?.trim() ?? '')
      ? { type: 'MEMBER_OF' as const, reversed: false, role: null, position: roleText ?? null }
      : linkRelation(from.kind as EntityKind, to.kind as EntityKind, roleText);
  if ('skip' in rel) return { ...rel, problems };
  if (!rel.type) {
    // Two actors linked in an unknown way: no relation type says that, a statement does.
    const how = roleText ? ` (${roleText})` : '';
    return {
      claim: {
        id,
        subject: from.ourId,
        summary: clip(`${from.name} is linked to ${to.name}${how}${tail}.`, 2000),
      },
      problems,
    };
  }
  const [s, o] = rel.reversed ? [to, from] : [from, to];
  const position = rel.position ? clip(rel.position, 300) : null;
  const wrong = relationProblems(rel.type, s.kind as EntityKind, o.kind as EntityKind, rel.role, {
    position,
    fromType: s.type,
    toType: o.type,
  });
  if (wrong.length) return { skip: wrong.map((w) => w.message).join('; '), problems };
  const dated = rel.type !== 'INVOLVED_IN' && (period.start || period.end);
  const as = rel.role ? ` as ${rel.role}` : position ? ` as ${position}` : '';
  return {
    claim: {
      id,
      subject: s.ourId,
      summary: clip(
        `${s.name} ${VERBS[rel.type] ?? rel.type.toLowerCase().replace('_', ' ')} ${o.name}${as}${tail}.`,
        2000,
      ),
      relation: {
        type: rel.type,
        object: o.ourId,
        role: rel.role,
        ...(position ? { position } : {}),
        ...(dated ? { periodStart: period.start, periodEnd: period.end } : {}),
      },
    },
    problems,
  };
}

/**
 * The relation an UnknownLink (or a Membership of a subordinate unit) asserts, from the kinds of its ends
 * and its role: a role naming a relation type ("member of", "pursuant to", "member of: head of branch" with
 * a position, "subordinate unit") or one of our involvement roles; else actor–event INVOLVED_IN (role other),
 * event–place OCCURRED_IN, actor–place LOCATED_IN, place–place and event–event PART_OF; links written the
 * other way round are turned. Actor–actor without a named type: none (a statement claim).
 */
export function linkRelation(
  from: EntityKind,
  to: EntityKind,
  roleText: string | undefined,
):
  | { type: RelationType | null; reversed: boolean; role: Role | null; position: string | null }
  | { skip: string } {
  const [head, position] = (roleText ?? '').split(/:\s*(.*)/s, 2) as [string, string | undefined];
  const norm = head
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const named =
    norm === 'subordinate_unit' ? 'SUBORDINATE_TO' : RELATION_TYPES.find((t) => t.toLowerCase() === norm);
  const role = (ROLES as readonly string[]).includes(norm) ? (norm as Role) : null;
  const pick = (a: EntityKind, b: EntityKind): RelationType | null => {
    if (named) return relationAllows(named, a, b) ? named : null;
    if (a === 'Actor' && b === 'Event') return 'INVOLVED_IN';
    if (a === 'Event' && b === 'Place') return 'OCCURRED_IN';
    if (a === 'Actor' && b === 'Place') return 'LOCATED_IN';
    if (a === b && a !== 'Actor') return 'PART_OF';
    return null;
  };
  for (const reversed of [false, true]) {
    const type = reversed ? pick(to, from) : pick(from, to);
    if (!type) continue;
    return {
      type,
      reversed,
      role: type === 'INVOLVED_IN' ? (role ?? 'other') : null,
      position: named ? (position?.trim() ?? null) || null : null,
    };
  }
  if (named) return { skip: `its role "${roleText}" names ${named}, which does not join ${from} and ${to}` };
  if (from === 'Actor' && to === 'Actor') return { type: null, reversed: false, role: null, position: null };
  return { skip: `no relation type joins ${from} and ${to}` };
}

/** What a Documentation's role makes of it: the document's publisher, an outlet that carried it, or a claim. */
export function documentationRole(role: string | undefined): 'publisher' | { via: number } | 'claim' {
  const r = role?.trim().toLowerCase() ?? '';
  if (r === 'publisher') return 'publisher';
  const via = /^published via \(hop (\d+)\)$/.exec(r);
  return via ? { via: Number(via[1]) } : 'claim';
}

/**
 * The statement a Documentation makes about its entity: the document's title, the entity, the role, the
 * date and the Documentation's own words; with its status when it is disputed or retracted.
 */
export function documentationClaim(
  r: FtmRecord,
  title: string,
  entityName: string | undefined,
  entityId: string,
): { claim: ClaimFields; status?: ClaimStatus } {
  const role = first(r, 'role');
  const status = first(r, 'status');
  const date = first(r, 'date') ?? first(r, 'startDate');
  const says = [first(r, 'summary'), first(r, 'description')].filter(Boolean).join(' ');
  const summary = `${title} documents ${entityName}${role ? ` (${role})` : ''}${date ? ` on ${date}` : ''}${says ? `: ${says}` : ''}`;
  const claim = { id: `cl-ftm-${r.part}`, subject: entityId, summary: clip(summary, 2000) };
  const disputed = status && status !== 'asserted' && (CLAIM_STATUSES as readonly string[]).includes(status);
  return disputed ? { claim, status: status as ClaimStatus } : { claim };
}
