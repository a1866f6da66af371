import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, print, separateOperations } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearance } from '../../src/model/access.js';
import { statement } from '../../src/graph/executor.js';
import { exportClaims } from '../../src/graph/queries/export.js';
import { projectRoot } from '../../src/paths.js';
import { sha256 } from '../../src/model/text.js';
import { loadBundle } from '../../src/services/import.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * Restricted and confidential records are invisible to anonymous callers and viewers on every read path;
 * analysts see restricted ones, admins everything. Each hidden record carries a marker word in its name
 * or text, and no response to a caller without clearance may contain it.
 */
const u = uniq();
const RESTRICTED = `RESTRICTEDMARK${u}`;
const CONFIDENTIAL = `CONFIDENTIALMARK${u}`;
/** Marks public claims (and their figures) whose only evidence is in a source the caller cannot see. */
const NOEVIDENCE = `NOEVIDENCEMARK${u}`;
const PUBLIC_TEXT =
  `Public report ${u}: detainees were released from the prison. An officer was named by a witness.` +
  ` A raid ${u} took place in the district. Seven people were killed in the operation.` +
  ` The clerk relayed the account.`;
const BULLETIN_TEXT = `Bulletin ${u}: nothing to add.`;
const CONFIDENTIAL_TEXT = `Informant note ${u}: the guard kept a list.`;
const SECRET_TEXT = `Witness statement ${u} ${RESTRICTED}: the officer ordered the transfer.`;
/** Days only hidden claims and sources give: a relation's period and first/last cited dates must not show them. */
const HIDDEN_DAYS = ['1913-01-01', '1914-03-17'];
const ORDER_TEXT = `Order ${u} ${RESTRICTED}: the colonel commanded the unit since 1913.`;

const ids = {
  pub: `src-t${u}-pub`,
  secretSource: `src-t${u}-sec`,
  event: `ev-t${u}`,
  publicActor: `ac-t${u}-pub`,
  restrictedActor: `ac-t${u}-res`,
  confidentialPlace: `pl-t${u}-conf`,
  publicClaim: `cl-t${u}-pub`,
  restrictedClaim: `cl-t${u}-res`,
  claimOnSecretSource: `cl-t${u}-secsrc`,
  involvementOfRestricted: `cl-t${u}-inv`,
  confidentialPlaceClaim: `cl-t${u}-conf`,
  restrictedFigure: `cl-t${u}-fig`,
  // A public actor and a public event linked only by a confidential INVOLVED_IN claim.
  neighbour: `ac-t${u}-nb`,
  raid: `ev-t${u}-raid`,
  confidentialInvolvement: `cl-t${u}-cinv`,
  // A public district PART_OF a public city, and the raid PART_OF a public operation, each only through a
  // confidential claim; the raid occurred in the district (public) and has a public figure.
  city: `pl-t${u}-city`,
  district: `pl-t${u}-dist`,
  operation: `ev-t${u}-op`,
  confidentialPlacePartOf: `cl-t${u}-cpart`,
  confidentialEventPartOf: `cl-t${u}-cpartev`,
  raidFigure: `fg-t${u}-raidfig`,
  // A public source whose publisher is restricted.
  restrictedPublisher: `ac-t${u}-rpub`,
  bulletin: `src-t${u}-bul`,
  // A public figure claim whose only excerpt is in the restricted source.
  noEvidenceFigureClaim: `cl-t${u}-nofig`,
  noEvidenceFigure: `fg-t${u}-nofig`,
  // A public claim attributed to public actor -> restricted officer -> public relay.
  relay: `ac-t${u}-relay`,
  attributed: `cl-t${u}-att`,
  // Public claims whose object or subject is confidential, targets of refused writes.
  writeObjectHidden: `cl-t${u}-wobj`,
  writeSubjectHidden: `cl-t${u}-wsubj`,
  // A public claim whose only excerpt is in a confidential source: hidden from analysts too.
  confidentialSource: `src-t${u}-conf`,
  writeEvidenceHidden: `cl-t${u}-wsrc`,
  // Two releases of one dataset by the public publisher: the second (a later load) has a restricted claim
  // in the slot of the first's public claim, so it supersedes it for analysts and admins only.
  datasetEvent: `ev-t${u}-ds`,
  release1: `src-t${u}-rel1`,
  release2: `src-t${u}-rel2`,
  release1Claim: `cl-t${u}-dead--r1`,
  release2Claim: `cl-t${u}-dead--r2`,
  // A public colonel commanding a public unit (a public claim), with a restricted claim in a restricted
  // source giving an earlier start, and a restricted claim of another post (a relationship of its own).
  colonel: `ac-t${u}-col`,
  unit: `ac-t${u}-unit`,
  orderSource: `src-t${u}-order`,
  commandClaim: `cl-t${u}-cmd`,
  hiddenCommandClaim: `cl-t${u}-cmdres`,
  hiddenPostClaim: `cl-t${u}-cmdpost`,
};
const RELEASE_TEXTS = [`Release one ${u}: 4 dead.`, `Release two ${u}: 6 dead.`];

/** A release of the fixture's dataset: its source, its event and its claim in the shared slot. */
function release(n: 1 | 2) {
  const text = RELEASE_TEXTS[n - 1]!;
  const value = n === 1 ? 4 : 6;
  return {
    source: {
      id: n === 1 ? ids.release1 : ids.release2,
      text,
      sha256: sha256(text),
      title: `Release ${n} ${u}`,
      language: 'en',
      publisher: ids.publicActor,
      dataset: `ds-${u}`,
    },
    event: { id: ids.datasetEvent, type: 'death_in_custody', name: `Deaths ${u}` },
    claim: {
      id: n === 1 ? ids.release1Claim : ids.release2Claim,
      slot: `cl-t${u}-dead`,
      subject: ids.datasetEvent,
      summary: n === 1 ? `Four dead ${u}` : `Six dead ${RESTRICTED}`,
      figure: { measure: 'fatalities', value, qualifier: 'exact', unit: 'people', text: String(value) },
      source: n === 1 ? ids.release1 : ids.release2,
      quotes: [`${value} dead`],
      ...(n === 2 ? { sensitivity: 'restricted' } : {}),
    },
  };
}

/** The second release, loaded after the fixture: a load's claims only supersede those of earlier loads. */
function secondRelease() {
  const r = release(2);
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'test',
    recordedAt: '2026-11-26T10:00:00Z',
    sources: [r.source],
    actors: [{ id: ids.publicActor, type: 'public_body', name: `Prison administration ${u}` }],
    events: [r.event],
    claims: [r.claim],
  };
}

function bundle() {
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: [
      {
        id: ids.pub,
        text: PUBLIC_TEXT,
        sha256: sha256(PUBLIC_TEXT),
        title: `Report ${u}`,
        language: 'en',
        publisher: ids.publicActor,
      },
      {
        id: ids.secretSource,
        text: SECRET_TEXT,
        sha256: sha256(SECRET_TEXT),
        title: `Statement ${RESTRICTED}`,
        language: 'en',
        sensitivity: 'restricted',
        publisher: ids.publicActor,
      },
      {
        id: ids.bulletin,
        text: BULLETIN_TEXT,
        sha256: sha256(BULLETIN_TEXT),
        title: `Bulletin ${u}`,
        language: 'en',
        publisher: ids.restrictedPublisher,
        // Carried by the restricted publisher, then a public outlet (hop 1 for those who cannot see the first).
        publishedVia: [{ actor: ids.restrictedPublisher }, { actor: ids.publicActor }],
      },
      {
        id: ids.confidentialSource,
        text: CONFIDENTIAL_TEXT,
        sha256: sha256(CONFIDENTIAL_TEXT),
        title: `Note ${CONFIDENTIAL}`,
        language: 'en',
        sensitivity: 'confidential',
      },
      release(1).source,
      {
        id: ids.orderSource,
        text: ORDER_TEXT,
        sha256: sha256(ORDER_TEXT),
        title: `Order ${RESTRICTED}`,
        language: 'en',
        sensitivity: 'restricted',
        published: { precision: 'day', value: HIDDEN_DAYS[1] },
      },
    ],
    actors: [
      { id: ids.publicActor, type: 'public_body', name: `Prison administration ${u}` },
      { id: ids.restrictedActor, type: 'person', name: `Officer ${RESTRICTED}`, sensitivity: 'restricted' },
      { id: ids.neighbour, type: 'person', name: `Neighbour ${u}` },
      {
        id: ids.restrictedPublisher,
        type: 'organization',
        name: `Publisher ${RESTRICTED}`,
        sensitivity: 'restricted',
      },
      { id: ids.relay, type: 'person', name: `Clerk ${u}` },
      { id: ids.colonel, type: 'person', name: `Colonel ${u}` },
      { id: ids.unit, type: 'organization', name: `Unit ${u}` },
    ],
    places: [
      {
        id: ids.confidentialPlace,
        type: 'facility',
        name: `Safe house ${CONFIDENTIAL}`,
        sensitivity: 'confidential',
      },
      { id: ids.city, type: 'city', name: `City ${u}` },
      { id: ids.district, type: 'district', name: `District ${u}` },
    ],
    events: [
      {
        id: ids.event,
        type: 'release_batch',
        name: `Release ${u}`,
        date: { precision: 'month', value: '2022-05' },
        // An alias whose only evidence is a claim quoting a hidden source: its record is hidden with it.
        aliases: [{ value: `Release alias ${u}`, lang: 'en', claims: [ids.claimOnSecretSource] }],
      },
      {
        id: ids.raid,
        type: 'arrest_detention',
        name: `Raid ${u}`,
        date: { precision: 'month', value: '2022-06' },
      },
      { id: ids.operation, type: 'other', name: `Operation ${u}` },
      release(1).event,
    ],
    claims: [
      {
        id: ids.publicClaim,
        subject: ids.event,
        summary: `Detainees released ${u}`,
        source: ids.pub,
        quotes: ['detainees were released from the prison'],
      },
      {
        id: ids.restrictedClaim,
        subject: ids.event,
        summary: `Named by a witness: ${RESTRICTED}`,
        source: ids.pub,
        quotes: ['An officer was named by a witness'],
        sensitivity: 'restricted',
      },
      {
        id: ids.claimOnSecretSource,
        subject: ids.event,
        summary: `A transfer was ordered ${NOEVIDENCE}`,
        source: ids.secretSource,
        quotes: ['the officer ordered the transfer'],
      },
      {
        id: ids.involvementOfRestricted,
        subject: ids.restrictedActor,
        summary: `The officer implemented the release ${u}`,
        relation: { type: 'INVOLVED_IN', object: ids.event, role: 'implementer' },
        source: ids.pub,
        quotes: [`Public report ${u}`],
      },
      {
        id: ids.confidentialPlaceClaim,
        subject: ids.event,
        summary: `Released near the safe house ${u}`,
        relation: { type: 'OCCURRED_IN', object: ids.confidentialPlace },
        source: ids.pub,
        quotes: ['released from the prison'],
      },
      {
        id: ids.restrictedFigure,
        subject: ids.event,
        summary: `Twelve released ${RESTRICTED}`,
        figure: {
          measure: 'people_released',
          value: 12,
          qualifier: 'exact',
          unit: 'people',
          // A figure's words are words of its excerpt (kg check); the marker is in the summary.
          text: 'released',
          duration: 'P4Y',
          sex: 'female',
          category: `cat_${u}`,
        },
        source: ids.pub,
        quotes: ['detainees were released'],
        sensitivity: 'restricted',
      },
      {
        id: ids.confidentialInvolvement,
        subject: ids.neighbour,
        summary: `The neighbour carried out the raid ${CONFIDENTIAL}`,
        relation: { type: 'INVOLVED_IN', object: ids.raid, role: 'implementer' },
        source: ids.pub,
        quotes: [`A raid ${u} took place`],
        sensitivity: 'confidential',
      },
      {
        id: `cl-t${u}-raidpl`,
        subject: ids.raid,
        summary: `The raid took place in the district ${u}`,
        relation: { type: 'OCCURRED_IN', object: ids.district },
        source: ids.pub,
        quotes: ['took place in the district'],
      },
      {
        id: ids.confidentialPlacePartOf,
        subject: ids.district,
        summary: `The district lies in the city ${CONFIDENTIAL}`,
        relation: { type: 'PART_OF', object: ids.city },
        source: ids.pub,
        quotes: ['in the district'],
        sensitivity: 'confidential',
      },
      {
        id: ids.confidentialEventPartOf,
        subject: ids.raid,
        summary: `The raid was part of the operation ${CONFIDENTIAL}`,
        relation: { type: 'PART_OF', object: ids.operation },
        source: ids.pub,
        quotes: ['killed in the operation'],
        sensitivity: 'confidential',
      },
      {
        id: `cl-t${u}-raidfig`,
        subject: ids.raid,
        summary: `Seven killed in the raid ${u}`,
        figure: {
          measure: 'people_killed',
          value: 7,
          qualifier: 'exact',
          unit: 'people',
          text: 'Seven',
          sex: 'female',
          category: `cat_${u}`,
        },
        source: ids.pub,
        quotes: ['Seven people were killed'],
      },
      {
        id: ids.noEvidenceFigureClaim,
        subject: ids.event,
        summary: `Three transferred ${NOEVIDENCE}`,
        figure: {
          measure: 'people_transferred',
          value: 3,
          qualifier: 'exact',
          unit: 'people',
          text: 'the transfer',
          duration: 'P2W',
          sex: 'female',
          category: `cat_${u}`,
        },
        source: ids.secretSource,
        quotes: ['ordered the transfer'],
      },
      {
        id: ids.attributed,
        subject: ids.event,
        summary: `The account was relayed ${u}`,
        source: ids.pub,
        quotes: ['The clerk relayed the account'],
        // A hop's capacity names what the restricted hop is: hidden with the hop.
        attribution: [
          { actor: ids.publicActor, capacity: 'the publisher' },
          { actor: ids.restrictedActor, capacity: `informant ${RESTRICTED}` },
          { actor: ids.relay, quote: 'The clerk relayed' },
        ],
      },
      {
        id: ids.writeObjectHidden,
        subject: ids.event,
        summary: `Released in the safe house ${u}`,
        relation: { type: 'OCCURRED_IN', object: ids.confidentialPlace },
        source: ids.pub,
        quotes: ['detainees were released'],
      },
      {
        id: ids.writeEvidenceHidden,
        subject: ids.event,
        summary: `The guard kept a list ${u}`,
        source: ids.confidentialSource,
        quotes: ['the guard kept a list'],
      },
      {
        id: ids.writeSubjectHidden,
        subject: ids.confidentialPlace,
        summary: `The safe house held detainees ${u}`,
        source: ids.pub,
        quotes: ['from the prison'],
      },
      release(1).claim,
      {
        id: ids.commandClaim,
        subject: ids.colonel,
        summary: `The colonel commanded the unit ${u}`,
        relation: {
          type: 'COMMANDS',
          object: ids.unit,
          position: 'commander',
          periodStart: { precision: 'year', value: '2012' },
        },
        source: ids.pub,
        quotes: ['An officer was named by a witness'],
      },
      {
        id: ids.hiddenCommandClaim,
        subject: ids.colonel,
        summary: `Commander since 1913 ${RESTRICTED}`,
        relation: {
          type: 'COMMANDS',
          object: ids.unit,
          position: 'commander',
          periodStart: { precision: 'year', value: '1913' },
        },
        source: ids.orderSource,
        quotes: ['the colonel commanded the unit since 1913'],
        sensitivity: 'restricted',
      },
      {
        id: ids.hiddenPostClaim,
        subject: ids.colonel,
        summary: `Deputy of the unit ${u}`,
        relation: { type: 'COMMANDS', object: ids.unit, position: `deputy ${RESTRICTED}` },
        source: ids.pub,
        quotes: ['An officer was named by a witness'],
        sensitivity: 'restricted',
      },
    ],
  };
}

/** Every read path, as a GraphQL document selecting everything that could carry a hidden record. */
const CLAIM = `id summary excerpts { exact source { id title text } } sources { title }
  attribution { agent { name } capacity excerpt { exact } }
  subject { id name } object { id name } conflicts { id summary } figure { text value }`;
const ENTITY = `id ... on Entity { name claims { ${CLAIM} } relations { id from { name } to { name } claims { summary } }
  figures { text value claims { summary } } nameEvidence(first: 2) { value claim { summary } } }
  ... on Event { involvements { from { name } } }`;
const READ_PATHS: [string, string][] = [
  ['node (event)', `{ node(id: "${ids.event}") { ${ENTITY} } }`],
  [
    'node (hidden ids)',
    `{ nodes(ids: ${JSON.stringify([
      ids.restrictedActor,
      ids.confidentialPlace,
      ids.restrictedClaim,
      ids.secretSource,
      `fg-t${u}-fig`,
      ids.claimOnSecretSource,
      ids.noEvidenceFigureClaim,
      ids.noEvidenceFigure,
      ids.confidentialInvolvement,
      ids.restrictedPublisher,
    ])}) { id } }`,
  ],
  [
    'source text slices (hidden source)',
    `{ node(id: "${ids.secretSource}") { ... on Source { whole: text a: text(start: 0, end: 60) b: text(start: 10) } } }`,
  ],
  ['search', `{ search(query: "${RESTRICTED}") { totalCount edges { node { matched node { id } } } } }`],
  [
    'search (confidential)',
    `{ search(query: "${CONFIDENTIAL}") { totalCount edges { node { matched node { id } } } } }`,
  ],
  ['events', `{ events(filter: { sourceId: "${ids.pub}" }) { totalCount edges { node { ${ENTITY} } } } }`],
  [
    'events by hidden actor',
    `{ events(filter: { actorId: "${ids.restrictedActor}" }) { edges { node { id name } } } }`,
  ],
  [
    'actors',
    `{ actors(filter: { namePrefix: "Officer" }, first: 100) { totalCount edges { node { name } } } }`,
  ],
  [
    'places',
    `{ places(filter: { namePrefix: "Safe house" }, first: 100) { totalCount edges { node { name } } } }`,
  ],
  // Filtered to this fixture's publisher: the shared test database holds many other sources.
  [
    'sources',
    `{ sources(first: 100, filter: { publisherId: "${ids.publicActor}" }) { edges { node { id title text } } } }`,
  ],
  [
    'timeline',
    `{ timeline(first: 50, filter: { sourceId: "${ids.pub}" }) { entries { event { ${ENTITY} } } } }`,
  ],
  [
    'neighborhood',
    `{ neighborhood(id: "${ids.event}", depth: 3) { nodes { id label node { id } } edges { label claims { ${CLAIM} } } } }`,
  ],
  [
    'paths',
    `{ paths(from: "${ids.event}", to: "${ids.restrictedActor}") { nodes { id } hops { claims { summary } } } }`,
  ],
  [
    'provenance',
    `{ provenance(id: "${ids.event}") { label claims { ${CLAIM} } sources { id title text } } }`,
  ],
  ['provenance (hidden)', `{ provenance(id: "${ids.restrictedActor}") { label claims { summary } } }`],
  [
    'conflicts',
    `{ conflicts(subjectId: "${ids.event}") { edges { node { implicitAsOf internal acrossSources claims { ${CLAIM} } } } } }`,
  ],
  [
    'conflicts (a release superseded by a hidden claim)',
    `{ conflicts(subjectId: "${ids.datasetEvent}") { edges { node { implicitAsOf internal acrossSources claims { ${CLAIM} } } } } }`,
  ],
  [
    'claim superseded by a hidden claim',
    `{ node(id: "${ids.release1Claim}") { ... on Claim { supersededBy { ${CLAIM} } supersedes { ${CLAIM} } } } }`,
  ],
  ['provenance edges and roles', `{ provenance(id: "${ids.event}") { edges { roles node { ${CLAIM} } } } }`],
  [
    'provenance of a superseded release',
    `{ provenance(id: "${ids.datasetEvent}") { edges { roles node { ${CLAIM} supersededBy { id } } } } }`,
  ],
  [
    'statistics',
    `{ statistics(filter: { subjectIds: ["${ids.event}"] }) { figures { figure { text value } sources { title } } } }`,
  ],
  ['node (claim without visible evidence)', `{ node(id: "${ids.claimOnSecretSource}") { id } }`],
  [
    'figures of an event',
    `{ node(id: "${ids.event}") { ... on Entity { figures { id text claims { summary } } } } }`,
  ],
  [
    'search (figures: words, subgroup, number)',
    `{ search(query: "${u} 12", kinds: [FIGURE], first: 100) { totalCount edges { node { matched node { id ... on Figure { text duration sex ageGroup category } } } } } }`,
  ],
  [
    'statistics (subgroup parts)',
    `{ statistics(filter: { sexes: [female], categories: ["cat_${u}"] }) { sex ageGroup category figures { figure { id text duration sex category } sources { title } } } }`,
  ],
  [
    'figure duration and subgroup parts (hidden figures)',
    `{ nodes(ids: ["fg-t${u}-fig", "${ids.noEvidenceFigure}"]) { id ... on Figure { duration sex ageGroup category } } }`,
  ],
  [
    'events by words of their name',
    `{ events(filter: { nameContains: "${u}" }) { totalCount edges { node { id name } } } }`,
  ],
  [
    'neighborhood (figures)',
    `{ neighborhood(id: "${ids.event}", depth: 1, kinds: [FIGURE]) { nodes { id label } } }`,
  ],
  [
    'source with a hidden publisher',
    `{ node(id: "${ids.bulletin}") { id ... on Source { publisher { id name } } } }`,
  ],
  [
    'relation position, period, firstCited and lastCited',
    `{ node(id: "${ids.colonel}") { ... on Entity { relations { id position
      period { start { value earliest latest } end { value earliest latest } }
      firstCited { value earliest latest } lastCited { value earliest latest } claims { summary position } } } } }`,
  ],
  // Corrected by an admin before the tests: its earlier version names the restricted publisher and outlet.
  [
    'source publishedVia and history through a hidden outlet and publisher',
    `{ node(id: "${ids.bulletin}") { id ... on Source { publishedVia { hop outlet { id name } }
      history { title publisher { id name } publishedVia { hop outlet { id name } } } } } }`,
  ],
  [
    'claim history',
    `{ node(id: "${ids.publicClaim}") { ... on Claim { history { summary figure { text } } } } }`,
  ],
];

/** A claim as stored, and how many audit records name it (read with full clearance). */
const claimState = statement(
  'test.redaction.claimState',
  `MATCH (c:Claim {id: $id})
   RETURN c.status AS status, c.version AS version, coalesce(c.sensitivity, 'public') AS sensitivity,
          c.statusReason AS statusReason,
          COUNT { MATCH (a:AuditRecord) WHERE $id IN a.affectedIds } AS audits,
          COUNT { MATCH (:Entity {id: $from})-[r:OCCURRED_IN]->(:Entity {id: $to}) } AS links`,
);

const RETRACT = `mutation($id: ID!) { retractClaim(id: $id, reason: "probe") { id status } }`;
const DISPUTE = `mutation($id: ID!) { disputeClaim(id: $id, reason: "probe") { id status } }`;
const SET_SENSITIVITY = `mutation($id: ID!) { setSensitivity(id: $id, sensitivity: restricted) { id } }`;
const LINK = `mutation($claimId: ID!) {
  linkEntities(input: { type: OCCURRED_IN, fromId: "${ids.event}", toId: "${ids.district}", claimIds: [$claimId] }) {
    id
  }
}`;

/** An id no record has, of the same kind as `id`. */
const missing = (id: string) => `${id}-missing`;

/**
 * Walks and filters that cross a record or relationship the caller may not see. `query(anchor)` builds the
 * request; `absent` lists ids that must not appear below clearance and do appear for the `cleared` role;
 * `like: 'missing'` means the answer must be exactly the answer for an id no record has.
 */
interface Walk {
  name: string;
  query: (anchor: string) => string;
  anchor: string;
  absent: string[];
  cleared: 'analyst' | 'admin';
  like?: 'missing';
}
const EVENTS = (filter: string) => `{ events(filter: { ${filter} }) { totalCount edges { node { id } } } }`;
const TIMELINE_OF = (filter: string) => `{ timeline(filter: { ${filter} }) { entries { event { id } } } }`;
const WALKS: Walk[] = [
  {
    name: 'neighborhood across a confidential claim',
    query: (id) => `{ neighborhood(id: "${id}", depth: 1) { nodes { id } edges { source target } } }`,
    anchor: ids.raid,
    absent: [ids.neighbour, ids.operation],
    cleared: 'admin',
  },
  {
    name: 'neighborhood across a confidential PART_OF',
    query: (id) => `{ neighborhood(id: "${id}", depth: 3) { nodes { id } edges { source target } } }`,
    anchor: ids.city,
    absent: [ids.district, ids.raid],
    cleared: 'admin',
  },
  {
    name: 'paths across a confidential claim',
    query: (id) => `{ paths(from: "${id}", to: "${ids.neighbour}") { nodes { id } } }`,
    anchor: ids.raid,
    absent: [ids.neighbour],
    cleared: 'admin',
  },
  {
    name: 'pathSearch across a confidential claim',
    query: (id) =>
      `{ pathSearch(from: "${id}", to: "${ids.neighbour}") { truncated paths { nodes { id } } } }`,
    anchor: ids.raid,
    absent: [ids.neighbour],
    cleared: 'admin',
  },
  {
    name: 'events by actor and role through a confidential INVOLVED_IN',
    query: (id) => EVENTS(`actorId: "${id}", role: implementer`),
    anchor: ids.neighbour,
    absent: [ids.raid],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'events by actor through a confidential INVOLVED_IN',
    query: (id) => EVENTS(`actorId: "${id}"`),
    anchor: ids.neighbour,
    absent: [ids.raid],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'events by a hidden actor',
    query: (id) => EVENTS(`actorId: "${id}", role: implementer`),
    anchor: ids.restrictedActor,
    absent: [ids.event],
    cleared: 'analyst',
    like: 'missing',
  },
  {
    name: 'timeline by actor through a confidential INVOLVED_IN',
    query: (id) => TIMELINE_OF(`actorId: "${id}"`),
    anchor: ids.neighbour,
    absent: [ids.raid],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'events by actor by date in a window through a confidential INVOLVED_IN (WITH_ACTOR rows)',
    query: (id) =>
      `{ events(filter: { actorId: "${id}", from: "1990-01-01", to: "2030-12-31" }, orderBy: DATE_ASC) {
         totalCount edges { node { id } } } }`,
    anchor: ids.neighbour,
    absent: [ids.raid],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'timeline of a hidden actor (WITH_ACTOR rows)',
    query: (id) => TIMELINE_OF(`actorId: "${id}"`),
    anchor: ids.restrictedActor,
    absent: [ids.event],
    cleared: 'analyst',
    like: 'missing',
  },
  {
    name: 'events by a hidden source',
    query: (id) => EVENTS(`sourceId: "${id}"`),
    anchor: ids.secretSource,
    absent: [ids.event],
    cleared: 'analyst',
    like: 'missing',
  },
  {
    name: 'events by a hidden source, ordered by name',
    query: (id) => `{ events(filter: { sourceId: "${id}" }, orderBy: NAME_ASC) { edges { node { id } } } }`,
    anchor: ids.secretSource,
    absent: [ids.event],
    cleared: 'analyst',
    like: 'missing',
  },
  {
    name: 'timeline by a hidden source',
    query: (id) => TIMELINE_OF(`sourceId: "${id}"`),
    anchor: ids.secretSource,
    absent: [ids.event],
    cleared: 'analyst',
    like: 'missing',
  },
  {
    name: 'events in a hidden place',
    query: (id) => EVENTS(`placeId: "${id}"`),
    anchor: ids.confidentialPlace,
    absent: [ids.event],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'events in a place through a confidential PART_OF',
    query: (id) => EVENTS(`placeId: "${id}"`),
    anchor: ids.city,
    absent: [ids.raid],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'events in a place and a date window through a confidential PART_OF (IN_PLACE rows)',
    query: (id) => EVENTS(`placeId: "${id}", from: "1990-01-01", to: "2030-12-31"`),
    anchor: ids.city,
    absent: [ids.raid],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'events in a place through a confidential PART_OF, ordered by date',
    query: (id) =>
      `{ events(filter: { placeId: "${id}" }, orderBy: DATE_DESC) { totalCount edges { node { id } } } }`,
    anchor: ids.city,
    absent: [ids.raid],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'timeline in a place through a confidential PART_OF',
    query: (id) => TIMELINE_OF(`placeId: "${id}"`),
    anchor: ids.city,
    absent: [ids.raid],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'places within a place through a confidential PART_OF',
    query: (id) => `{ places(filter: { withinId: "${id}" }) { totalCount edges { node { id } } } }`,
    anchor: ids.city,
    absent: [ids.district],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'statistics of an event through a confidential PART_OF',
    query: (id) => `{ statistics(filter: { subjectIds: ["${id}"] }) { figures { figure { id } } } }`,
    anchor: ids.operation,
    absent: [ids.raidFigure],
    cleared: 'admin',
    like: 'missing',
  },
  {
    name: 'sources of a hidden publisher',
    query: (id) => `{ sources(filter: { publisherId: "${id}" }) { totalCount edges { node { id } } } }`,
    anchor: ids.restrictedPublisher,
    absent: [ids.bulletin],
    cleared: 'analyst',
    like: 'missing',
  },
  {
    name: 'a claim without visible evidence',
    query: (id) => `{ node(id: "${id}") { id } provenance(id: "${ids.event}") { claims { id } } }`,
    anchor: ids.claimOnSecretSource,
    absent: [ids.claimOnSecretSource],
    cleared: 'analyst',
    like: 'missing',
  },
];

/** The graph explorer's own requests (web/src/operations.graphql), each with arguments aimed at hidden records. */
const EXPLORER_OPERATIONS = separateOperations(
  parse(readFileSync(path.join(projectRoot, 'web', 'src', 'operations.graphql'), 'utf8')),
);
const EXPLORER_CALLS: [string, Record<string, unknown>][] = [
  ['Search', { query: RESTRICTED, first: 25 }],
  ['Search', { query: CONFIDENTIAL, first: 25 }],
  ['Neighborhood', { id: ids.event, depth: 2, limit: 500 }],
  ['Neighborhood', { id: ids.restrictedActor, depth: 1, limit: 100 }],
  ['Paths', { from: ids.event, to: ids.restrictedActor, maxLength: 6 }],
  ['Provenance', { id: ids.event }],
  ['Provenance', { id: ids.restrictedActor }],
  ['SourceText', { id: ids.secretSource }],
  ['Viewer', {}],
];

/** A response for a caller without clearance: no marker word and no id of a hidden record in it. */
function expectNothingHidden(text: string): void {
  expect(text).not.toContain(RESTRICTED);
  expect(text).not.toContain(CONFIDENTIAL);
  expect(text).not.toContain(NOEVIDENCE);
  const hidden = [
    ids.restrictedActor,
    ids.confidentialPlace,
    ids.restrictedClaim,
    ids.secretSource,
    ids.restrictedFigure,
    ids.claimOnSecretSource,
    ids.noEvidenceFigureClaim,
    ids.noEvidenceFigure,
    ids.confidentialInvolvement,
    ids.confidentialPlacePartOf,
    ids.confidentialEventPartOf,
    ids.restrictedPublisher,
    ids.confidentialSource,
    ids.writeEvidenceHidden,
    ids.release2Claim,
    ids.orderSource,
    ids.hiddenCommandClaim,
    ids.hiddenPostClaim,
    `fg-t${u}-fig`,
  ];
  for (const id of hidden) expect(text).not.toContain(`"${id}"`);
  for (const day of HIDDEN_DAYS) expect(text).not.toContain(day);
}

describe('redaction on every read path', () => {
  let app: TestApp;
  let viewer: Record<string, string>;
  let analyst: Record<string, string>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await startTestApp();
    await loadBundle(app.db.executor, writeBundle(bundle()));
    const second = await loadBundle(app.db.executor, writeBundle(secondRelease()));
    expect(second.counts!.superseded).toBe(1);
    viewer = (await keyHeaders(app.db, 'viewer')).headers;
    analyst = (await keyHeaders(app.db, 'analyst')).headers;
    admin = (await keyHeaders(app.db, 'admin')).headers;
    const corrected = await app.graphql(
      `mutation { updateSource(id: "${ids.bulletin}", version: 1, patch: { title: "Bulletin ${u} (corrected)" },
        reason: "title") { id } }`,
      undefined,
      admin,
    );
    expect(corrected.errors).toBeUndefined();
  });
  afterAll(() => app.close());

  /** The whole response ({data, errors}) as JSON. */
  const answer = async (query: string, headers: Record<string, string>) => {
    const res = await app.graphql(query, undefined, headers);
    return JSON.stringify({ data: res.data, errors: res.errors });
  };
  /** The answer for `id` and the answer for a missing id of its kind, each id written as ANCHOR. */
  const asAnchor = async (query: (id: string) => string, id: string, headers: Record<string, string>) => ({
    got: (await answer(query(id), headers)).replaceAll(id, 'ANCHOR'),
    missing: (await answer(query(missing(id)), headers)).replaceAll(missing(id), 'ANCHOR'),
  });

  const body = async (query: string, headers: Record<string, string> = {}) => {
    const res = await app.graphql(query, undefined, headers);
    // A hidden record is reported exactly like one that does not exist (NOT_FOUND echoing the id asked).
    const errors = (res.errors ?? []).filter((e) => e.extensions?.code !== 'NOT_FOUND');
    expect(errors, JSON.stringify(res.errors)).toEqual([]);
    return JSON.stringify({ data: res.data });
  };

  it.each(READ_PATHS)(
    '%s: nothing restricted or confidential for anonymous callers and viewers',
    async (_name, query) => {
      for (const headers of [{}, viewer]) {
        expectNothingHidden(await body(query, headers));
      }
    },
  );

  it("a statement's parameters cannot widen the caller's clearance ($visible is the executor's)", async () => {
    const echo = statement('test.echoVisible', 'RETURN $visible AS visible');
    const executor = app.db.executor.forRequest('req-visible', clearance('viewer'));
    // The type refuses a `visible` parameter; a caller that forces one in still gets its own clearance.
    const [row] = await executor.read(echo, { visible: ['public', 'confidential'] } as never);
    expect(row!.visible).toEqual(['public']);
  });

  it('covers every request the graph explorer makes', () => {
    expect([...new Set(EXPLORER_CALLS.map(([name]) => name))].sort()).toEqual(
      Object.keys(EXPLORER_OPERATIONS).sort(),
    );
  });

  it.each(EXPLORER_CALLS)(
    'explorer request %s %j: nothing restricted or confidential for anonymous callers and viewers',
    async (name, variables) => {
      const query = print(EXPLORER_OPERATIONS[name]!);
      for (const headers of [{}, viewer]) {
        const res = await app.graphql(query, variables, headers);
        expect((res.errors ?? []).filter((e) => e.extensions?.code !== 'NOT_FOUND')).toEqual([]);
        expectNothingHidden(JSON.stringify(res.data));
      }
    },
  );

  it("the explorer's requests do show restricted records to analysts", async () => {
    const res = await app.graphql(
      print(EXPLORER_OPERATIONS.Neighborhood!),
      { id: ids.event, depth: 1, limit: 100 },
      analyst,
    );
    expect(JSON.stringify(res.data)).toContain(ids.restrictedActor);
    expect(JSON.stringify(res.data)).not.toContain(ids.confidentialPlace);
  });

  it('shows a supersession to those who may see the newer claim, and to nobody else', async () => {
    const query = `{ node(id: "${ids.release1Claim}") { ... on Claim { supersededBy { id } } } }`;
    expect(await body(query, analyst)).toContain(ids.release2Claim);
    expect(await body(query, viewer)).toContain('"supersededBy":null');
  });

  it('still shows the public part to everyone', async () => {
    const text = await body(`{ provenance(id: "${ids.event}") { claims { id } } }`);
    expect(text).toContain(ids.publicClaim);
  });

  it('hides a public claim whose only evidence is in a source the caller cannot see, like a missing claim', async () => {
    const query = (id: string) =>
      `{ node(id: "${id}") { id ... on Claim { summary excerpts { exact } figure { text } } } }`;
    for (const headers of [{}, viewer]) {
      for (const id of [ids.claimOnSecretSource, ids.noEvidenceFigureClaim, ids.noEvidenceFigure]) {
        const { got, missing } = await asAnchor(query, id, headers);
        expect(got).toBe(missing);
      }
      const stats = await body(
        `{ statistics(filter: { measures: ["people_transferred"], subjectIds: ["${ids.event}"] }) { figures { figure { id } } } }`,
        headers,
      );
      expect(stats).toBe(JSON.stringify({ data: { statistics: [] } }));
    }
    // Analysts see the source, so they see the claim, its excerpt and its figure.
    const t = await body(query(ids.noEvidenceFigureClaim), analyst);
    expect(t).toContain(NOEVIDENCE);
    expect(t).toContain('ordered the transfer');
  });

  it('numbers the attribution hops over the visible hops only', async () => {
    const hopsOf = async (headers: Record<string, string>) => {
      const res = await app.graphql<{
        node: { attribution: { hop: number; agent: { id: string } }[] };
        provenance: { claims: { attribution: { hop: number; agent: { id: string } }[] }[] };
      }>(
        `{ node(id: "${ids.attributed}") { ... on Claim { attribution { hop agent { id } } } }
           provenance(id: "${ids.attributed}") { claims { attribution { hop agent { id } } } } }`,
        undefined,
        headers,
      );
      const simple = (hops: { hop: number; agent: { id: string } }[]) => hops.map((h) => [h.hop, h.agent.id]);
      // The loader path (node) and the embedded path (provenance's claim details) agree.
      expect(simple(res.data!.provenance.claims[0]!.attribution)).toEqual(simple(res.data!.node.attribution));
      return simple(res.data!.node.attribution);
    };
    for (const headers of [{}, viewer]) {
      expect(await hopsOf(headers)).toEqual([
        [1, ids.publicActor],
        [2, ids.relay],
      ]);
    }
    expect(await hopsOf(analyst)).toEqual([
      [1, ids.publicActor],
      [2, ids.restrictedActor],
      [3, ids.relay],
    ]);
    // The exports number them the same way.
    const exported = async (visible: readonly string[]) => {
      const rows = await app.db.executor
        .forRequest('redaction-export', visible)
        .read(exportClaims, { after: ids.attributed.slice(0, -1), limit: 1 });
      expect((rows[0]!.claim as { id: string }).id).toBe(ids.attributed);
      return rows[0]!.attribution;
    };
    const relayed = expect.objectContaining({ exact: 'The clerk relayed' });
    expect(await exported(clearance('viewer'))).toEqual([
      { hop: 1, agentId: ids.publicActor, capacity: 'the publisher', excerpt: null },
      { hop: 2, agentId: ids.relay, capacity: null, excerpt: relayed },
    ]);
    expect(await exported(clearance('analyst'))).toEqual([
      { hop: 1, agentId: ids.publicActor, capacity: 'the publisher', excerpt: null },
      { hop: 2, agentId: ids.restrictedActor, capacity: `informant ${RESTRICTED}`, excerpt: null },
      { hop: 3, agentId: ids.relay, capacity: null, excerpt: relayed },
    ]);
  });

  it.each(WALKS)(
    '$name: crosses no hidden record or relationship for anonymous callers and viewers',
    async ({ query, anchor, absent, like }) => {
      for (const headers of [{}, viewer]) {
        const got = await answer(query(anchor), headers);
        for (const id of absent) expect(got, id).not.toContain(`"${id}"`);
        expectNothingHidden(got);
        // A hidden anchor, or one reached only through hidden links, answers exactly like a missing id.
        if (like === 'missing') {
          const compared = await asAnchor(query, anchor, headers);
          expect(compared.got).toBe(compared.missing);
        }
      }
    },
  );

  it.each(WALKS)('$name: the cleared role does reach it', async ({ query, anchor, absent, cleared }) => {
    const got = await answer(query(anchor), cleared === 'admin' ? admin : analyst);
    for (const id of absent) expect(got, id).toContain(`"${id}"`);
  });

  it('shows restricted records to analysts, but not confidential ones', async () => {
    const seen: string[] = [];
    for (const [name, query] of READ_PATHS) {
      const t = await body(query, analyst);
      if (t.includes(RESTRICTED)) seen.push(name);
      expect(t, name).not.toContain(CONFIDENTIAL);
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        'node (event)',
        'source text slices (hidden source)',
        'search',
        'events',
        'actors',
        'sources',
        'neighborhood',
        'provenance',
        'statistics',
        'relation position, period, firstCited and lastCited',
      ]),
    );
    // Every read path in turn, some of them heavy: on two shared cores this takes more than the default minute.
  }, 180_000);

  it('refuses writes on a claim whose subject, object or evidence the caller cannot see, and writes nothing', async () => {
    const state = async (id: string) =>
      (await app.db.executor.read(claimState, { id, from: ids.event, to: ids.district }))[0];
    /** The errors of a mutation, with the claim id written as ID (to compare with a missing claim). */
    const refusal = async (mutation: string, variables: Record<string, string>, id: string) => {
      const res = await app.graphql(mutation, variables, analyst);
      return JSON.stringify({ data: res.data, errors: res.errors }).replaceAll(id, 'ID');
    };
    for (const id of [ids.writeObjectHidden, ids.writeSubjectHidden, ids.writeEvidenceHidden]) {
      const before = await state(id);
      expect(before).toMatchObject({ status: 'asserted', audits: 0, links: 0 });
      for (const [mutation, variables] of [
        [RETRACT, { id }],
        [DISPUTE, { id }],
        // A second call must not tell a hidden status either.
        [RETRACT, { id }],
        [DISPUTE, { id }],
        [SET_SENSITIVITY, { id }],
        [LINK, { claimId: id }],
      ] as const) {
        const missingVariables = Object.fromEntries(
          Object.entries(variables).map(([k, v]) => [k, v === id ? missing(id) : v]),
        );
        const got = await refusal(mutation, variables, id);
        expect(got).toContain('"NOT_FOUND"');
        // Exactly the answer for a claim that does not exist.
        expect(got).toBe(await refusal(mutation, missingVariables, missing(id)));
      }
      // Nothing was written: same status, version and sensitivity, no audit record, no link.
      expect(await state(id)).toEqual(before);
    }
    // An admin sees the claim, so the same write goes through (the refusal above is about clearance).
    const res = await app.graphql<{ disputeClaim: { status: string } }>(
      DISPUTE,
      { id: ids.writeSubjectHidden },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.disputeClaim.status).toBe('disputed');
    expect(await state(ids.writeSubjectHidden)).toMatchObject({ status: 'disputed', audits: 1 });
  });

  it('shows confidential records to admins', async () => {
    const t = await body(`{ node(id: "${ids.confidentialPlace}") { id ... on Place { name } } }`, admin);
    expect(t).toContain(CONFIDENTIAL);
    const n = await body(`{ neighborhood(id: "${ids.event}") { nodes { id } } }`, admin);
    expect(n).toContain(ids.confidentialPlace);
  });
});
