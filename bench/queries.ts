/**
 * The investigator queries of the scale benchmark, each as our GraphQL document, the equivalent
 * @neo4j/graphql document (or why there is none) and its targets in the generated graph. The floor is not
 * written here: it is the Cypher our server ran for the request (recorded by bench/api-server.ts),
 * replayed through neo4j-driver.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { toNative } from '../src/graph/values.js';
import { encodeCursor } from '../src/services/pagination.js';
import { actorAt, eventAt, eventId, generate, type Shape } from './generate.js';

export type Vars = Record<string, unknown>;

export interface Target {
  /** Short description of the target, for the results file. */
  label: string;
  ours: Vars;
  ng?: Vars;
}

export interface BenchQuery {
  name: string;
  /** What an investigator asks, in words. */
  question: string;
  /** Selective: the answer is bounded and should not grow with the graph (the growth target applies). */
  selective: boolean;
  ours: string;
  /** @neo4j/graphql document, or null with the reason it has no equivalent. */
  ng: string | { na: string };
  /** Whether the @neo4j/graphql side uses a @cypher field (labelled in the results). */
  ngCypher?: boolean;
  targets: Target[];
}

/** Every value under an `id` key, sorted: two answers are equivalent when these match. */
export function idsOf(x: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(x)) x.forEach((v) => idsOf(v, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if (k === 'id' && typeof v === 'string') out.add(v);
      else idsOf(v, out);
    }
  }
  return out;
}

/** Every string in a floor result that looks like a record id of the generated graph. */
export function recordIdsIn(x: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof x === 'string') {
    if (/^(ev|ac|pl|cl|src|fg|ex|rel)-/.test(x)) out.add(x);
  } else if (Array.isArray(x)) x.forEach((v) => recordIdsIn(v, out));
  else if (x && typeof x === 'object') Object.values(x).forEach((v) => recordIdsIn(v, out));
  return out;
}

async function read(driver: Driver, cypher: string, params: Vars = {}): Promise<Record<string, unknown>[]> {
  const session = driver.session({ defaultAccessMode: 'READ' });
  try {
    const res = await session.executeRead((tx) => tx.run(cypher, params));
    return res.records.map((r) => toNative(r.toObject()) as Record<string, unknown>);
  } finally {
    await session.close();
  }
}

const spread = (n: number, count: number, offset = 0) =>
  Array.from({ length: count }, (_, j) => Math.floor(((j + 0.5 + offset) * n) / count));

/** The suite, with targets picked deterministically from the generator and the loaded graph. */
export async function buildSuite(driver: Driver, shape: Shape): Promise<BenchQuery[]> {
  const g = generate(shape);
  const events = spread(shape.events, 5).map(eventId);
  // Ranks past the 40 public bodies, wrapped into the graph's actors; persons are the ranks k % 3 = 1.
  const rank = (k: number) => 40 + (k % (shape.actors - 40));
  const persons = [101, 304, 577, 790, 997].map(rank).map((k) => actorAt(k - ((k + 2) % 3), shape));
  const midActors = [41, 97, 211, 499, 877].map((k) => actorAt(rank(k - 40), shape));

  // Events of another town of the same governorate, for paths of length up to 4.
  const pathPairs: Target[] = [];
  for (const from of spread(shape.events, 5, 0.25).map(eventId)) {
    const [row] = await read(
      driver,
      `MATCH (e:Event {id: $id})-[:OCCURRED_IN]->(t:Place)-[:PART_OF]->(g:Place)<-[:PART_OF]-(t2:Place)<-[:OCCURRED_IN]-(o:Event)
       WHERE t2 <> t RETURN o.id AS to LIMIT 1`,
      { id: from },
    );
    if (row) pathPairs.push({ label: `${from} → ${String(row.to)}`, ours: { from, to: row.to } });
  }

  const conflictSubjects = (
    await read(
      driver,
      `MATCH (c:Claim) WHERE c.id STARTS WITH 'cl-bx-' AND c.id ENDS WITH '-count2'
       RETURN c.subjectId AS id ORDER BY c.id LIMIT 5`,
    )
  ).map((r) => String(r.id));

  const [{ n: arrests }] = (await read(
    driver,
    `MATCH (e:Event) WHERE e.type = 'arrest_detention' RETURN count(e) AS n`,
  )) as [{ n: number }];
  const deepTargets: Target[] = [];
  for (const f of [0.5, 0.6, 0.7, 0.8, 0.9]) {
    const offset = Math.floor(arrests * f);
    const [row] = await read(
      driver,
      `MATCH (e:Event) WHERE e.type = 'arrest_detention'
       WITH e ORDER BY coalesce(toString(e.dateEarliest), '9999-12-31'), e.id SKIP $skip LIMIT 1
       RETURN coalesce(toString(e.dateEarliest), '9999-12-31') AS k, e.id AS id`,
      { skip: neo4j.int(offset - 1) },
    );
    deepTargets.push({
      label: `after position ${offset} of ${arrests}`,
      ours: { after: encodeCursor([row!.k, row!.id]) },
      ng: { after: Buffer.from(`arrayconnection:${offset - 1}`).toString('base64') },
    });
  }

  const acled: Target[] = [];
  for (let i = Math.floor(shape.events / 3); acled.length < 5 && i < shape.events; i += 7) {
    const e = eventAt(i, shape, g.pickActor);
    if (e.acled) acled.push({ label: eventId(i), ours: { value: e.acled }, ng: { key: `acled:${e.acled}` } });
  }

  const GOVS = ['damascus', 'aleppo', 'daraa', 'homs', 'idlib'];
  const sources = spread(Math.floor(shape.events / 2), 5).map((n) => `src-bx-${n}`);

  return [
    {
      name: 'entityById',
      question: 'An event by id with its claims, their exact words and sources',
      selective: true,
      ours: `query ($id: ID!) { node(id: $id) { id ... on Event { name type date { earliest latest }
        claims { id summary excerpts { id exact source { id title } } } } } }`,
      ng: `query ($id: ID!) { events(where: { id: { eq: $id } }) { id name type dateEarliest dateLatest
        claims { id summary excerpts { id exact source { id title } } } } }`,
      targets: events.map((id) => ({ label: id, ours: { id } })),
    },
    {
      name: 'search',
      question: 'Full-text search for a person by name (actors, top 10)',
      selective: true,
      ours: `query ($q: String!) { search(query: $q, kinds: [ACTOR], first: 10) { edges { node { score node { id } } } } }`,
      ng: `query ($q: String!) { searchActors(q: $q, first: 10) { id } }`,
      ngCypher: true,
      targets: persons.map((a) => ({ label: a.name, ours: { q: a.name }, ng: { q: a.name.toLowerCase() } })),
    },
    {
      name: 'eventsByPlaceDate',
      question: 'Events in a governorate (including its towns) in a six-month window, by date, first 20',
      selective: true,
      ours: `query ($place: ID!, $from: String!, $to: String!) {
        events(filter: { placeId: $place, from: $from, to: $to }, orderBy: DATE_ASC, first: 20) { edges { node { id name } } } }`,
      ng: `query ($place: ID!, $from: Date!, $to: Date!) {
        events(where: {
          occurredIn: { some: { OR: [{ id: { eq: $place } }, { partOf: { some: { id: { eq: $place } } } }] } },
          dateEarliest: { lte: $to },
          OR: [{ dateLatest: { gte: $from } }, { endDateLatest: { gte: $from } }]
        }, sort: [{ dateEarliest: ASC }, { id: ASC }], limit: 20) { id name } }`,
      // Six months; the whole period on a tiny graph (the smoke test), so that every answer has rows.
      targets: GOVS.map((gov, j) => ({
        label: `${gov} ${2012 + j}-H1`,
        ours: {
          place: `pl-bx-${gov}`,
          from: `${shape.events < 5_000 ? 2011 : 2012 + j}-01-01`,
          to: `${shape.events < 5_000 ? 2024 : 2012 + j}-06-30`,
        },
      })),
    },
    {
      name: 'timeline',
      question: "An actor's timeline: its events in date order, first 50",
      selective: true,
      ours: `query ($actor: ID!) { timeline(filter: { actorId: $actor }, first: 50) { entries { event { id name } earliest latest } } }`,
      ng: `query ($actor: ID!) { events(where: { involved: { some: { id: { eq: $actor } } } },
        sort: [{ dateEarliest: ASC }, { id: ASC }], limit: 50) { id name dateEarliest dateLatest } }`,
      targets: midActors.map((a) => ({ label: a.id, ours: { actor: a.id } })),
    },
    {
      name: 'neighborhood2',
      question: '2-hop neighbourhood of an event, at most 50 nodes',
      selective: true,
      ours: `query ($id: ID!) { neighborhood(id: $id, depth: 2, limit: 50) { nodes { id } edges { id } } }`,
      ng: {
        na: 'no breadth-first traversal with a global node limit (would be a @cypher field running our statement)',
      },
      targets: spread(shape.events, 5, 0.1)
        .map(eventId)
        .map((id) => ({ label: id, ours: { id } })),
    },
    {
      name: 'shortestPath',
      question: 'Shortest path (≤ 4 hops) between two events, with the claims behind each hop',
      selective: true,
      ours: `query ($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxLength: 4, first: 1) { length nodes { id } hops { id claims { id } } } }`,
      ng: { na: 'no shortest-path query (would be a @cypher field running our statement)' },
      targets: pathPairs,
    },
    {
      name: 'statisticsBySource',
      question: 'Figures reported by one source, grouped by measure and subject',
      selective: true,
      ours: `query ($src: ID!) { statistics(filter: { sourceIds: [$src] }) { measure subject { id } figures { figure { id value } } } }`,
      ng: `query ($src: ID!) { sources(where: { id: { eq: $src } }) { excerpts {
        claims(where: { kind: { eq: "figure" } }) { figure { id value measure subject { id } } } } } }`,
      targets: sources.map((id) => ({ label: id, ours: { src: id } })),
    },
    {
      name: 'conflictsOfEvent',
      question: 'Disagreeing claims about an event (1,160 vs 1,168)',
      selective: true,
      ours: `query ($id: ID!) { conflicts(subjectId: $id, first: 10) { edges { node { property claims { id } } } } }`,
      ng: { na: 'disagreement (disjoint value intervals between claims) is not expressible as a filter' },
      targets: conflictSubjects.map((id) => ({ label: id, ours: { id } })),
    },
    {
      name: 'conflictsAll',
      question: 'First page of all conflicts in the graph',
      selective: false,
      ours: `{ conflicts(first: 10) { edges { node { property subject { id } claims { id } } } } }`,
      ng: { na: 'as conflictsOfEvent' },
      targets: [{ label: 'all', ours: {} }],
    },
    {
      name: 'provenanceHub',
      question:
        'Provenance of the most connected actor (a hub): the first page of 100 claims with their excerpts and sources, and how many there are',
      selective: false,
      ours: `query ($id: ID!) { provenance(id: $id, first: 100) { totalClaims claims { id excerpts { id source { id } } } } }`,
      ng: `query ($id: ID!) { actors(where: { id: { eq: $id } }) {
        claims(limit: 100, sort: [{ fact: ASC }, { id: ASC }]) { id excerpts { id source { id } } }
        claimsConnection { totalCount } } }`,
      targets: [{ label: actorAt(0, shape).id, ours: { id: actorAt(0, shape).id } }],
    },
    {
      name: 'deepPage',
      question: 'A deep page (20 events after a cursor half to nine tenths into the arrests, by date)',
      selective: true,
      ours: `query ($after: String!) { events(filter: { types: [arrest_detention] }, orderBy: DATE_ASC, first: 20, after: $after) {
        edges { node { id name } } } }`,
      ng: `query ($after: String!) { eventsConnection(where: { type: { eq: "arrest_detention" } },
        sort: [{ dateEarliest: ASC }, { id: ASC }], first: 20, after: $after) { edges { node { id name } } } }`,
      targets: deepTargets,
    },
    {
      name: 'entityByIdentifier',
      question: 'An event by its ACLED identifier',
      selective: true,
      ours: `query ($value: String!) { entityByIdentifier(scheme: "acled", value: $value) { id name } }`,
      ng: `query ($key: String!) { events(where: { identifierKeys: { includes: $key } }) { id name } }`,
      targets: acled,
    },
  ];
}

/** The by-id request that autocannon sends (our API), against `{ hello }` on a bare Apollo Server. */
export const BY_ID = `query ($id: ID!) { node(id: $id) { id ... on Event { name type } } }`;
