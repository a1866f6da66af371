import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { uniq } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * Issue #15's test of done: two further reports on the April 2022 amnesty, recorded entirely through the
 * write API as a new analyst would — an NGO's monthly count (republished by another outlet, later corrected)
 * and a wire story quoting a monitor's director (carried by a site). Everything they say that has a field
 * lands in that field, never in notes: figures tied to their whole and their period, subgroups that can be
 * queried, a duration, the chain of outlets, a hop's capacity and the words naming it, membership and
 * command with posts and periods, a unit's parent, a detention facility with its kind and operator, who was
 * held, transferred and released where, aliases and identifiers with their evidence, a corrected source and
 * an amended claim whose earlier version stays readable. The texts are this test's own.
 */
const u = uniq();

const REPORT = [
  `Monthly report on arbitrary detention ${u}, May 2022.`,
  'In May 2022 the Network documented the release of 527 detainees from regime prisons under the amnesty' +
    ' decree of 30 April 2022, of whom 40 were women and 63 were army defectors.',
  'Most of them were released from Saydnaya Military Prison, where they had been held for years; the' +
    ' Military Police runs the prison.',
  'Former detainees told the Network that they had first been held in Branch 215, a branch of the Military' +
    ' Intelligence Directorate, before they were transferred to Saydnaya.',
  'Brigadier General Adnan Q., head of Branch 215 from 2012 to 2015, commanded the branch while they were' +
    ' held there.',
  'Testimonies collected by the Network say that at least 13 detainees were hanged at Saydnaya over four years.',
  'The Network is also known as the Detainees Network; its website is https://detainees-network.example.',
].join('\n');

const WIRE = [
  `BEIRUT, 4 May 2022 (Levant Wire ${u}) - More than 1,100 detainees have been freed since the amnesty was`,
  'announced, Rami Abdulrahman, the director of the Syrian Observatory for Human Rights, told the agency by',
  'telephone, speaking for the monitor. He said families were still waiting outside Saydnaya prison.',
].join(' ');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('recording two reports entirely through mutations (issue #15)', () => {
  let app: TestApp;
  let analyst: Record<string, string>;
  const ids: Record<string, string> = {};

  /** Runs an operation as the analyst; it must succeed. */
  const ok = async (query: string, variables: Json = {}): Promise<Json> => {
    const res = await app.graphql<Json>(query, variables, analyst);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  };
  const create = async (key: string, input: Json) => {
    const data = await ok(`mutation($input: CreateEntityInput!) { createEntity(input: $input) { id } }`, {
      input,
    });
    ids[key] = data.createEntity.id as string;
  };
  const claim = async (key: string, input: Json) => {
    const data = await ok(`mutation($input: RecordClaimInput!) { recordClaim(input: $input) { id } }`, {
      input,
    });
    ids[key] = data.recordClaim.id as string;
    return ids[key]!;
  };
  const day = (value: string) => ({
    value,
    precision: value.length === 10 ? 'day' : value.length === 7 ? 'month' : 'year',
  });

  beforeAll(async () => {
    app = await startTestApp();
    analyst = (await keyHeaders(app.db, 'analyst')).headers;
  });
  afterAll(() => app.close());

  it('records the NGO monthly count: republished, figures with their whole, subgroups, duration and period', async () => {
    await create('ngo', { kind: 'ACTOR', type: 'organization', name: `The Network ${u}` });
    await create('outlet', { kind: 'ACTOR', type: 'organization', name: `Levant Daily ${u}` });
    // Ingested with a wrong title and date, corrected below.
    const ingest = await ok(
      `mutation($input: IngestSourceInput!) { ingestSource(input: $input) { source { id version } } }`,
      {
        input: {
          text: REPORT,
          title: `Monthly report on arbitrary detention ${u}, April 2022`,
          language: 'en',
          publisherId: ids.ngo,
          published: day('2022-06-01'),
          reliability: 'usually_reliable',
          publishedVia: [
            {
              actorId: ids.outlet,
              url: 'https://levant-daily.example/2022/06/03/detention-report',
              published: day('2022-06-03'),
            },
          ],
        },
      },
    );
    ids.report = ingest.ingestSource.source.id;

    await create('amnesty', {
      kind: 'EVENT',
      type: 'amnesty_decree',
      name: `Amnesty decree of 30 April 2022 ${u}`,
      date: day('2022-04-30'),
    });
    await create('releases', {
      kind: 'EVENT',
      type: 'release_batch',
      name: `Releases under the amnesty in May 2022 ${u}`,
      date: day('2022-05'),
    });
    await create('executions', {
      kind: 'EVENT',
      type: 'death_in_custody',
      name: `Hangings at Saydnaya ${u}`,
    });
    const src = { sourceId: ids.report };
    await claim('pursuant', {
      ...src,
      subjectId: ids.releases,
      summary: 'The May releases were carried out under the amnesty decree.',
      excerpts: [{ quote: 'under the amnesty decree of 30 April 2022' }],
      relation: { type: 'PURSUANT_TO', objectId: ids.amnesty },
    });
    await claim('released', {
      ...src,
      subjectId: ids.releases,
      summary: 'The Network documented 527 detainees released in May 2022.',
      excerpts: [{ quote: 'the release of 527 detainees' }],
      figure: {
        measure: 'people_released',
        value: 527,
        unit: 'people',
        text: '527',
        periodStart: day('2022-05'),
        periodEnd: day('2022-05'),
        duringId: ids.releases,
      },
    });
    await claim('women', {
      ...src,
      subjectId: ids.releases,
      summary: 'Of the 527 released, 40 were women.',
      excerpts: [{ quote: 'of whom 40 were women' }],
      figure: {
        measure: 'people_released',
        value: 40,
        unit: 'people',
        text: '40',
        subgroup: 'women',
        sex: 'female',
        shareOfClaimId: ids.released,
      },
    });
    await claim('defectors', {
      ...src,
      subjectId: ids.releases,
      summary: 'Of the 527 released, 63 were army defectors.',
      excerpts: [{ quote: '63 were army defectors' }],
      figure: {
        measure: 'people_released',
        value: 63,
        unit: 'people',
        text: '63',
        subgroup: 'army defectors',
        category: 'army_defectors',
        shareOfClaimId: ids.released,
      },
    });
    await claim('hanged', {
      ...src,
      subjectId: ids.executions,
      summary: 'At least 13 detainees were hanged at Saydnaya over four years.',
      excerpts: [{ quote: 'at least 13 detainees were hanged at Saydnaya over four years' }],
      figure: {
        measure: 'people_executed',
        value: 13,
        qualifier: 'at_least',
        unit: 'people',
        text: 'at least 13',
        duration: 'P4Y',
      },
    });

    const figures = await ok(
      `query($id: ID!) { node(id: $id) { ... on Entity { figures { value subgroup sex category duration
         shareOf { value } during { id } periodStart { value } } } } }`,
      { id: ids.releases },
    );
    expect(figures.node.figures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          value: 527,
          during: { id: ids.releases },
          periodStart: { value: '2022-05' },
        }),
        expect.objectContaining({ value: 40, sex: 'female', subgroup: 'women', shareOf: { value: 527 } }),
        expect.objectContaining({ value: 63, category: 'army_defectors', shareOf: { value: 527 } }),
      ]),
    );
    const hanged = await ok(
      `query($id: ID!) { node(id: $id) { ... on Claim { figure { duration qualifier } } } }`,
      {
        id: ids.hanged,
      },
    );
    expect(hanged.node.figure).toEqual({ duration: 'P4Y', qualifier: 'at_least' });
  });

  it('records the detention and command facts of the NGO report as relations with posts and periods', async () => {
    const src = { sourceId: ids.report };
    await create('saydnaya', {
      kind: 'PLACE',
      type: 'facility',
      name: `Saydnaya Military Prison ${u}`,
      facilityKind: 'military_prison',
    });
    await create('branchSite', {
      kind: 'PLACE',
      type: 'facility',
      name: `Branch 215 headquarters ${u}`,
      facilityKind: 'branch_headquarters',
    });
    await create('militaryPolice', { kind: 'ACTOR', type: 'public_body', name: `Military Police ${u}` });
    await create('directorate', {
      kind: 'ACTOR',
      type: 'public_body',
      name: `Military Intelligence Directorate ${u}`,
    });
    await create('branch', { kind: 'ACTOR', type: 'public_body', name: `Branch 215 ${u}` });
    await create('general', { kind: 'ACTOR', type: 'person', name: `Adnan Q. ${u}` });
    await create('detainees', {
      kind: 'ACTOR',
      type: 'group',
      name: `Detainees released in May 2022 ${u}`,
    });
    const relation = (key: string, subjectId: string, summary: string, quote: string, rel: Json) =>
      claim(key, { ...src, subjectId, summary, excerpts: [{ quote }], relation: rel });
    await relation(
      'operates',
      ids.militaryPolice!,
      'The Military Police runs Saydnaya.',
      'the Military Police runs the prison',
      {
        type: 'OPERATES',
        objectId: ids.saydnaya,
      },
    );
    await relation(
      'branchOperates',
      ids.branch!,
      'Branch 215 holds detainees at its headquarters.',
      'held in Branch 215',
      {
        type: 'OPERATES',
        objectId: ids.branchSite,
      },
    );
    await relation(
      'heldBranch',
      ids.detainees!,
      'They were first held in Branch 215.',
      'they had first been held in Branch 215',
      {
        type: 'HELD_IN',
        objectId: ids.branchSite,
      },
    );
    await relation(
      'transferred',
      ids.detainees!,
      'They were transferred to Saydnaya.',
      'before they were transferred to Saydnaya',
      {
        type: 'TRANSFERRED_TO',
        objectId: ids.saydnaya,
      },
    );
    await relation(
      'heldSaydnaya',
      ids.detainees!,
      'They were held for years in Saydnaya.',
      'where they had been held for years',
      {
        type: 'HELD_IN',
        objectId: ids.saydnaya,
      },
    );
    await relation(
      'releasedFrom',
      ids.detainees!,
      'They were released from Saydnaya.',
      'Most of them were released from Saydnaya Military Prison',
      {
        type: 'RELEASED_FROM',
        objectId: ids.saydnaya,
        periodStart: day('2022-05'),
      },
    );
    await relation(
      'subordinate',
      ids.branch!,
      'Branch 215 is a branch of the Military Intelligence Directorate.',
      'a branch of the Military Intelligence Directorate',
      {
        type: 'SUBORDINATE_TO',
        objectId: ids.directorate,
      },
    );
    await relation(
      'head',
      ids.general!,
      'Adnan Q. was head of Branch 215 from 2012 to 2015.',
      'head of Branch 215 from 2012 to 2015',
      {
        type: 'MEMBER_OF',
        objectId: ids.branch,
        position: 'head',
        periodStart: day('2012'),
        periodEnd: day('2015'),
      },
    );
    await relation(
      'commands',
      ids.general!,
      'Adnan Q. commanded Branch 215.',
      'commanded the branch while they were held there',
      {
        type: 'COMMANDS',
        objectId: ids.branch,
        position: 'head',
        periodStart: day('2012'),
        periodEnd: day('2015'),
      },
    );

    const general = await ok(
      `query($id: ID!) { node(id: $id) { ... on Actor { relations { type position to { id }
         period { start { value } end { value } } firstCited { value } claims { id } } } } }`,
      { id: ids.general },
    );
    const rels = general.node.relations as Json[];
    for (const type of ['MEMBER_OF', 'COMMANDS']) {
      expect(rels).toContainEqual(
        expect.objectContaining({
          type,
          position: 'head',
          to: { id: ids.branch },
          period: { start: { value: '2012' }, end: { value: '2015' } },
          // The report as corrected is dated 2 June 2022 (see below); as ingested, 1 June.
          firstCited: expect.objectContaining({ value: expect.stringMatching(/^2022-06-0[12]$/) }),
        }),
      );
    }
    const prison = await ok(
      `query($id: ID!) { node(id: $id) { ... on Place { facilityKind relations { type from { id } } } } }`,
      { id: ids.saydnaya },
    );
    expect(prison.node.facilityKind).toBe('military_prison');
    expect(prison.node.relations).toEqual(
      expect.arrayContaining([
        { type: 'OPERATES', from: { id: ids.militaryPolice } },
        { type: 'HELD_IN', from: { id: ids.detainees } },
        { type: 'TRANSFERRED_TO', from: { id: ids.detainees } },
        { type: 'RELEASED_FROM', from: { id: ids.detainees } },
      ]),
    );
  });

  it('records the wire story: carried by a site, a director speaking for the monitor, an alias and an identifier', async () => {
    await create('wire', { kind: 'ACTOR', type: 'organization', name: `Levant Wire ${u}` });
    await create('site', { kind: 'ACTOR', type: 'organization', name: `News Site ${u}` });
    await create('sohr', { kind: 'ACTOR', type: 'organization', name: `SOHR ${u}` });
    await create('director', { kind: 'ACTOR', type: 'person', name: `Rami Abdulrahman ${u}` });
    const ingest = await ok(
      `mutation($input: IngestSourceInput!) { ingestSource(input: $input) { source { id } } }`,
      {
        input: {
          text: WIRE,
          title: `More than 1,100 detainees freed since amnesty ${u}`,
          language: 'en',
          publisherId: ids.wire,
          published: day('2022-05-04'),
          publishedVia: [
            {
              actorId: ids.site,
              url: 'https://news-site.example/amnesty-1100',
              published: day('2022-05-05'),
            },
          ],
        },
      },
    );
    ids.wireStory = ingest.ingestSource.source.id;
    const src = { sourceId: ids.wireStory };
    await claim('freed', {
      ...src,
      subjectId: ids.releases,
      summary: 'More than 1,100 detainees had been freed by 4 May 2022, says SOHR.',
      excerpts: [{ quote: 'More than 1,100 detainees have been freed since the amnesty' }],
      figure: {
        measure: 'people_released',
        value: 1100,
        qualifier: 'more_than',
        unit: 'people',
        text: 'More than 1,100',
        asOf: day('2022-05-04'),
      },
      attribution: [
        {
          actorId: ids.director,
          capacity: 'director of the monitor, speaking for it',
          excerpt: {
            quote:
              'Rami Abdulrahman, the director of the Syrian Observatory for Human Rights, told the agency',
          },
        },
        { actorId: ids.sohr, capacity: 'the monitor', excerpt: { quote: 'speaking for the monitor' } },
      ],
    });
    await claim('directs', {
      ...src,
      subjectId: ids.director,
      summary: 'Rami Abdulrahman is the director of SOHR.',
      excerpts: [{ quote: 'the director of the Syrian Observatory for Human Rights' }],
      relation: { type: 'MEMBER_OF', objectId: ids.sohr, position: 'director' },
    });
    await claim('sohrName', {
      ...src,
      subjectId: ids.sohr,
      summary: 'SOHR is the Syrian Observatory for Human Rights.',
      excerpts: [{ quote: 'the Syrian Observatory for Human Rights' }],
    });
    await ok(
      `mutation($id: ID!, $claim: ID!) { addAlias(entityId: $id, alias: { value: "Syrian Observatory for Human Rights", lang: "en" }, claimId: $claim) { id } }`,
      { id: ids.sohr, claim: ids.sohrName },
    );
    // The NGO's other name and its website, on the evidence of its own report.
    await claim('ngoNames', {
      sourceId: ids.report,
      subjectId: ids.ngo,
      summary: 'The Network is also known as the Detainees Network, at detainees-network.example.',
      excerpts: [
        { quote: 'The Network is also known as the Detainees Network' },
        { quote: 'https://detainees-network.example' },
      ],
    });
    await ok(
      `mutation($id: ID!, $claim: ID!) { addAlias(entityId: $id, alias: { value: "Detainees Network", lang: "en" }, claimId: $claim) { id } }`,
      { id: ids.ngo, claim: ids.ngoNames },
    );
    await ok(
      `mutation($id: ID!, $claim: ID!) { addIdentifier(entityId: $id, identifier: { scheme: "url", value: "https://detainees-network.example" }, claimId: $claim) { id } }`,
      { id: ids.ngo, claim: ids.ngoNames },
    );

    const freed = await ok(
      `query($id: ID!) { node(id: $id) { ... on Claim { attribution { hop capacity agent { id } excerpt { exact } } } } }`,
      { id: ids.freed },
    );
    expect(freed.node.attribution).toEqual([
      {
        hop: 1,
        capacity: 'director of the monitor, speaking for it',
        agent: { id: ids.director },
        excerpt: {
          exact: 'Rami Abdulrahman, the director of the Syrian Observatory for Human Rights, told the agency',
        },
      },
      {
        hop: 2,
        capacity: 'the monitor',
        agent: { id: ids.sohr },
        excerpt: { exact: 'speaking for the monitor' },
      },
    ]);
    const story = await ok(
      `query($id: ID!) { node(id: $id) { ... on Source { notes publisher { id } publishedVia { hop url outlet { id } published { value } } } } }`,
      { id: ids.wireStory },
    );
    expect(story.node).toEqual({
      notes: null,
      publisher: { id: ids.wire },
      publishedVia: [
        {
          hop: 1,
          url: 'https://news-site.example/amnesty-1100',
          outlet: { id: ids.site },
          published: { value: '2022-05-05' },
        },
      ],
    });
    const provenance = await ok(`query($id: ID!) { provenance(id: $id) { edges { roles node { id } } } }`, {
      id: ids.ngo,
    });
    const roles = (provenance.provenance.edges as Json[]).find((e) => e.node.id === ids.ngoNames)?.roles;
    expect(roles).toEqual(expect.arrayContaining(['SUBJECT', 'ALIAS', 'IDENTIFIER']));
  });

  it('corrects the report and amends a figure without losing what was recorded before', async () => {
    const source = await ok(`query($id: ID!) { node(id: $id) { ... on Source { version } } }`, {
      id: ids.report,
    });
    await ok(
      `mutation($id: ID!, $version: Int!, $patch: SourcePatch!) { updateSource(id: $id, version: $version, patch: $patch, reason: "The title said April; the report covers May, published 2 June") { version } }`,
      {
        id: ids.report,
        version: source.node.version,
        patch: {
          title: `Monthly report on arbitrary detention ${u}, May 2022`,
          published: day('2022-06-02'),
        },
      },
    );
    const again = await ok(
      `mutation($input: IngestSourceInput!) { ingestSource(input: $input) { created source { title published { value } history { title } } } }`,
      { input: { text: REPORT, title: 'anything', language: 'en' } },
    );
    expect(again.ingestSource.created).toBe(false);
    expect(again.ingestSource.source.title).toBe(`Monthly report on arbitrary detention ${u}, May 2022`);
    expect(again.ingestSource.source.published.value).toBe('2022-06-02');
    expect(again.ingestSource.source.history.map((h: Json) => h.title)).toContain(
      `Monthly report on arbitrary detention ${u}, April 2022`,
    );

    // The as-of date, learned later: an amendment, not a retraction and a new claim.
    const before = await ok(`query($id: ID!) { node(id: $id) { ... on Claim { version } } }`, {
      id: ids.released,
    });
    await ok(
      `mutation($id: ID!, $version: Int!) { amendClaim(id: $id, version: $version, amendment: { figure: { asOf: { value: "2022-05-31", precision: day } } }, reason: "The report counts to the end of May") { id } }`,
      { id: ids.released, version: before.node.version },
    );
    const amended = await ok(
      `query($id: ID!) { node(id: $id) { ... on Claim { version figure { value asOf { value } } excerpts { exact }
         history { version figure { asOf { value } } } } } }`,
      { id: ids.released },
    );
    expect(amended.node.figure).toEqual({ value: 527, asOf: { value: '2022-05-31' } });
    expect(amended.node.excerpts).toEqual([{ exact: 'the release of 527 detainees' }]);
    expect(amended.node.history).toContainEqual({ version: before.node.version, figure: { asOf: null } });
  });

  it("amends a command's post and period: the claim moves to the relationship for its post, the earlier stays readable", async () => {
    const read = await ok(`query($id: ID!) { node(id: $id) { ... on Claim { version } } }`, {
      id: ids.commands,
    });
    await ok(
      `mutation($id: ID!, $version: Int!, $amendment: ClaimAmendmentInput!) {
         amendClaim(id: $id, version: $version, amendment: $amendment, reason: "The report says head of the branch from 2011") { id }
       }`,
      {
        id: ids.commands,
        version: read.node.version,
        amendment: { relation: { position: 'head of branch', periodStart: day('2011') } },
      },
    );
    const claim = await ok(
      `query($id: ID!) { node(id: $id) { ... on Claim { position periodStart { value } periodEnd { value }
         excerpts { exact } history { position periodStart { value } } } } }`,
      { id: ids.commands },
    );
    expect(claim.node).toMatchObject({
      position: 'head of branch',
      periodStart: { value: '2011' },
      periodEnd: { value: '2015' },
      excerpts: [{ exact: 'commanded the branch while they were held there' }],
      history: [{ position: 'head', periodStart: { value: '2012' } }],
    });
    const general = await ok(
      `query($id: ID!) { node(id: $id) { ... on Actor { relations { type position period { start { value } } claims { id } } } } }`,
      { id: ids.general },
    );
    const commands = (general.node.relations as Json[]).filter((r) => r.type === 'COMMANDS');
    // The relationship for the old post has no current claim: kept in the store, shown to nobody.
    expect(commands).toEqual([
      {
        type: 'COMMANDS',
        position: 'head of branch',
        period: { start: { value: '2011' } },
        claims: [{ id: ids.commands }],
      },
    ]);
  });

  it('finds what was recorded: figures by their number as written, events by name, subgroups by sex and category', async () => {
    const hits = await ok(
      `{ search(query: "1,100", kinds: [FIGURE]) { edges { node { node { id ... on Figure { value } } } } } }`,
    );
    expect(hits.search.edges.map((e: Json) => e.node.node.value)).toContain(1100);
    const events = await ok(
      `query($q: String!) { events(filter: { nameContains: $q }) { edges { node { id } } } }`,
      { q: `amnesty in May 2022 ${u}` },
    );
    expect(events.events.edges).toEqual([{ node: { id: ids.releases } }]);
    const women = await ok(
      `query($id: ID!) { statistics(filter: { subjectIds: [$id], sexes: [female] }) { figures { figure { value } } } }`,
      { id: ids.releases },
    );
    expect(women.statistics.flatMap((g: Json) => g.figures.map((f: Json) => f.figure.value))).toEqual([40]);
    const defectors = await ok(
      `query($id: ID!) { statistics(filter: { subjectIds: [$id], categories: ["army_defectors"] }) { figures { figure { value } } } }`,
      { id: ids.releases },
    );
    expect(defectors.statistics.flatMap((g: Json) => g.figures.map((f: Json) => f.figure.value))).toEqual([
      63,
    ]);
  });

  it('left nothing in notes that has a field', async () => {
    const sources = await ok(`query($a: ID!, $b: ID!) { nodes(ids: [$a, $b]) { ... on Source { notes } } }`, {
      a: ids.report,
      b: ids.wireStory,
    });
    expect(sources.nodes).toEqual([{ notes: null }, { notes: null }]);
  });
});
