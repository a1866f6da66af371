import { describe, expect, it } from 'vitest';
import type { EntitySnapshot, Moved, SnapshotRel, TypedProp } from '../../src/graph/stores/merge.js';
import { relationId } from '../../src/model/ids.js';
import {
  checkMergeable,
  countsOf,
  keptAfterUndo,
  planMerge,
  retargetRows,
  unionNames,
} from '../../src/services/merge-plan.js';
import { planUndo, undoChanges, undoChecks } from '../../src/services/unmerge-plan.js';

/**
 * Merge planning on hand-built snapshots (no database): where each relationship of the duplicate goes,
 * what the kept entity gains, what a merge refuses, and how undo puts back what was there.
 */

const KEEP = 'ac-keep';
const DUP = 'ac-dup';
const MERGE_ID = 'merge-1';

const entity = (over: Partial<EntitySnapshot>): EntitySnapshot => ({
  id: KEEP,
  kind: 'Actor',
  name: 'A',
  lang: 'en',
  aliasesJson: '[]',
  names: ['A'],
  identifiersJson: '[]',
  identifierKeys: [],
  version: 3,
  sensitivity: 'public',
  _labels: ['Entity', 'Actor'],
  ...over,
});

/** Typed properties as the snapshot reads them (valueType of each value). */
function props(p: Record<string, unknown>): TypedProp[] {
  return Object.entries(p).map(([k, v]) => ({
    k,
    t: Array.isArray(v)
      ? 'LIST<STRING NOT NULL> NOT NULL'
      : typeof v === 'number'
        ? 'INTEGER NOT NULL'
        : 'STRING NOT NULL',
    v,
  }));
}

let eids = 0;
const rel = (over: Partial<SnapshotRel>): SnapshotRel => ({
  eid: `eid-${++eids}`,
  type: 'MEMBER_OF',
  out: true,
  otherId: 'ac-org',
  otherLabels: ['Entity', 'Actor'],
  otherSubjectId: null,
  otherObjectId: null,
  otherVersion: null,
  props: [],
  ...over,
});

/** An entity relationship of `from` to `to` with its id as relationId makes it. */
const memberOf = (from: string, claimIds: string[], to = 'ac-org'): SnapshotRel =>
  rel({
    out: true,
    otherId: to,
    props: props({ id: relationId('MEMBER_OF', from, to, null), claimIds }),
  });

/** The error planning throws, as its code, message and input path. */
function refusal(plan: () => unknown): { code: unknown; message: string; inputPath: unknown } {
  try {
    plan();
  } catch (err) {
    const e = err as { message: string; extensions?: Record<string, unknown> };
    return { code: e.extensions?.code, message: e.message, inputPath: e.extensions?.inputPath };
  }
  throw new Error('the plan was not refused');
}

const kept = entity({});
const dup = entity({ id: DUP, name: 'B', version: 1 });

describe('merge planning: entity relationships', () => {
  it('moves a relationship the kept entity lacks: created there with a new id and the same claims', () => {
    const old = memberOf(DUP, ['cl-1', 'cl-2']);
    const plan = planMerge(kept, dup, [old], [], MERGE_ID);
    const newId = relationId('MEMBER_OF', KEEP, 'ac-org', null);
    expect(plan.rows.get('MEMBER_OF')).toEqual([
      {
        eid: old.eid,
        out: true,
        mode: 'create',
        overrides: { id: newId, claimIds: ['cl-1', 'cl-2'] },
        targetId: newId,
        added: [],
      },
    ]);
    expect(plan.moved.relations).toEqual([
      expect.objectContaining({
        oldId: relationId('MEMBER_OF', DUP, 'ac-org', null),
        targetId: newId,
        created: true,
        contributed: ['cl-1', 'cl-2'],
      }),
    ]);
    expect(plan.changes).toContainEqual({
      id: relationId('MEMBER_OF', DUP, 'ac-org', null),
      before: { type: 'MEMBER_OF', fromId: DUP, toId: 'ac-org' },
      after: { type: 'MEMBER_OF', id: newId, fromId: KEEP, toId: 'ac-org', created: true },
    });
    expect(plan.affectedIds).toEqual(
      expect.arrayContaining([KEEP, DUP, MERGE_ID, newId, relationId('MEMBER_OF', DUP, 'ac-org', null)]),
    );
  });

  it('keeps the direction: an incoming relationship ends at the kept entity', () => {
    const old = rel({
      out: false,
      otherId: 'ac-unit',
      props: props({ id: relationId('MEMBER_OF', 'ac-unit', DUP, null), claimIds: ['cl-3'] }),
    });
    const plan = planMerge(kept, dup, [old], [], MERGE_ID);
    expect(plan.moved.relations[0]!.targetId).toBe(relationId('MEMBER_OF', 'ac-unit', KEEP, null));
  });

  it('unions a relationship the kept entity has: only the claims it lacks are added', () => {
    const existing = memberOf(KEEP, ['cl-1']);
    const plan = planMerge(kept, dup, [memberOf(DUP, ['cl-1', 'cl-2'])], [existing], MERGE_ID);
    const targetId = relationId('MEMBER_OF', KEEP, 'ac-org', null);
    expect(plan.rows.get('MEMBER_OF')).toEqual([
      expect.objectContaining({ mode: 'union', targetId, added: ['cl-2'], overrides: {} }),
    ]);
    expect(plan.moved.relations[0]).toMatchObject({
      created: false,
      targetId,
      contributed: ['cl-2'],
      keepIfEmpty: false,
    });
  });

  it('marks a kept relationship that had no claims, so undo keeps it even when none remain', () => {
    const plan = planMerge(kept, dup, [memberOf(DUP, ['cl-1'])], [memberOf(KEEP, [])], MERGE_ID);
    expect(plan.moved.relations[0]).toMatchObject({
      created: false,
      keepIfEmpty: true,
      contributed: ['cl-1'],
    });
  });

  it('folds two relationships of the duplicate that become one: the first creates it with both claim lists', () => {
    const first = memberOf(DUP, ['cl-1']);
    const second = rel({ props: props({ id: 'rel-legacy', claimIds: ['cl-1', 'cl-2'] }) });
    const plan = planMerge(kept, dup, [first, second], [], MERGE_ID);
    const rows = plan.rows.get('MEMBER_OF')!;
    expect(rows.map((r) => r.mode)).toEqual(['create', 'drop']);
    expect(rows[0]!.overrides.claimIds).toEqual(['cl-1', 'cl-2']);
    expect(plan.moved.relations.map((r) => r.contributed)).toEqual([['cl-1'], ['cl-2']]);
  });

  it('refuses records related to each other: the relationship would become a self-loop', () => {
    const between = rel({ otherId: KEEP, props: props({ id: 'rel-x', claimIds: ['cl-1'] }) });
    expect(refusal(() => planMerge(kept, dup, [between], [], MERGE_ID))).toEqual({
      code: 'BAD_USER_INPUT',
      message: `${DUP} and ${KEEP} are related (MEMBER_OF); records related to each other cannot be merged`,
      inputPath: ['mergeId'],
    });
  });

  it('refuses a duplicate with a relationship to itself', () => {
    const loop = rel({ otherId: DUP, props: props({ id: 'rel-loop' }) });
    expect(refusal(() => planMerge(kept, dup, [loop], [], MERGE_ID))).toMatchObject({
      code: 'CONFLICT',
      message: `${DUP} has a MEMBER_OF relationship to itself`,
    });
  });

  it('refuses a property undo could not restore with its type', () => {
    const odd = rel({ props: [{ k: 'where', t: 'POINT NOT NULL', v: { x: 1, y: 2 } }] });
    expect(refusal(() => planMerge(kept, dup, [odd], [], MERGE_ID))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('property where of type POINT NOT NULL'),
    });
  });
});

describe('merge planning: links, claims and figures', () => {
  const about = (claim: string, over: Partial<SnapshotRel> = {}) =>
    rel({
      type: 'ABOUT',
      out: false,
      otherId: claim,
      otherLabels: ['Claim'],
      otherSubjectId: DUP,
      otherVersion: 2,
      ...over,
    });

  it('moves a claim about the duplicate and points the claim at the kept entity, one version on', () => {
    const plan = planMerge(kept, dup, [about('cl-1')], [], MERGE_ID);
    expect(plan.rows.get('ABOUT')).toEqual([expect.objectContaining({ mode: 'create', targetId: null })]);
    expect(plan.moved.links).toEqual([
      { type: 'ABOUT', out: false, otherId: 'cl-1', props: [], created: true },
    ]);
    expect(plan.moved.claims).toEqual([
      { id: 'cl-1', subject: true, object: false, versionBefore: 2, versionAfter: 3 },
    ]);
    expect(plan.changes).toContainEqual({ id: 'cl-1', before: { subject: DUP }, after: { subject: KEEP } });
    expect(retargetRows(plan.moved, 'merge')).toEqual([
      { id: 'cl-1', subject: true, object: false, versionIf: null, versionThen: 3 },
    ]);
    expect(retargetRows(plan.moved, 'undo')).toEqual([
      { id: 'cl-1', subject: true, object: false, versionIf: 3, versionThen: 2 },
    ]);
  });

  it('drops a link the kept entity already has with the same properties', () => {
    const publisher = (eid: string) =>
      rel({ eid, type: 'PUBLISHED_BY', out: false, otherId: 'src-1', otherLabels: ['Source'] });
    const plan = planMerge(kept, dup, [publisher('eid-dup')], [publisher('eid-kept')], MERGE_ID);
    expect(plan.rows.get('PUBLISHED_BY')).toEqual([expect.objectContaining({ mode: 'drop' })]);
    expect(plan.moved.links[0]!.created).toBe(false);
    expect(countsOf(plan.moved).sources).toBe(1);
  });

  it('moves figures and attributions, and counts them', () => {
    const figure = rel({ type: 'FIGURE_OF', out: false, otherId: 'fg-1', otherLabels: ['Figure'] });
    const attributed = rel({ type: 'ATTRIBUTED_TO', out: false, otherId: 'cl-2', otherLabels: ['Claim'] });
    const plan = planMerge(kept, dup, [figure, attributed, memberOf(DUP, ['cl-1'])], [], MERGE_ID);
    expect(plan.moved.figures).toEqual(['fg-1']);
    expect(countsOf(plan.moved)).toEqual({
      relations: 1,
      claims: 0,
      figures: 1,
      sources: 0,
      attributions: 1,
      aliasesAdded: 1,
      identifiersAdded: 0,
    });
  });

  it('refuses a claim that relates the two records', () => {
    const keptIsObject = rel({ type: 'OBJECT', out: false, otherId: 'cl-9', otherLabels: ['Claim'] });
    expect(refusal(() => planMerge(kept, dup, [about('cl-9')], [keptIsObject], MERGE_ID))).toEqual({
      code: 'BAD_USER_INPUT',
      message: `Claim cl-9 relates ${DUP} and ${KEEP}; records a claim relates to each other cannot be merged`,
      inputPath: ['mergeId'],
    });
  });

  it('refuses a link from an unexpected kind of node', () => {
    const odd = about('so-1', { otherLabels: ['Source'] });
    expect(refusal(() => planMerge(kept, dup, [odd], [], MERGE_ID))).toMatchObject({
      code: 'CONFLICT',
      message: `${DUP} has an unexpected ABOUT relationship (from a Source)`,
    });
  });
});

describe('merge planning: names, identifiers and sensitivity', () => {
  it('adds the duplicate names as aliases once, never the kept name', () => {
    const k = entity({ aliasesJson: JSON.stringify([{ value: 'B', lang: 'en' }]), names: ['A', 'B'] });
    const merged = entity({
      id: DUP,
      name: 'B',
      aliasesJson: JSON.stringify([
        { value: 'A', lang: 'ar' },
        { value: 'C', lang: 'en' },
        { value: 'C', lang: 'en' },
      ]),
    });
    const out = unionNames(k, merged);
    expect(out.aliasesAdded).toEqual([{ value: 'C', lang: 'en' }]);
    expect(JSON.parse(out.after.aliasesJson!)).toEqual([
      { value: 'B', lang: 'en' },
      { value: 'C', lang: 'en' },
    ]);
    expect(out.after.names).toEqual(['A', 'B', 'C']);
    expect(out.after.version).toBe(4);
  });

  it('unions identifiers: those the kept entity lacks are added, with their keys', () => {
    const k = entity({
      identifiersJson: JSON.stringify([{ scheme: 'wikidata', value: 'Q1' }]),
      identifierKeys: ['wikidata:Q1'],
    });
    const merged = entity({
      id: DUP,
      name: 'B',
      identifiersJson: JSON.stringify([
        { scheme: 'wikidata', value: 'Q1' },
        { scheme: 'wikidata', value: 'Q2' },
      ]),
    });
    const plan = planMerge(k, merged, [], [], MERGE_ID);
    expect(plan.moved.identifiersAdded).toEqual([{ scheme: 'wikidata', value: 'Q2' }]);
    expect(plan.moved.kept.after.identifierKeys).toEqual(['wikidata:Q1', 'wikidata:Q2']);
    expect(JSON.parse(plan.moved.kept.after.identifiersJson!)).toHaveLength(2);
    expect(plan.changes[0]).toEqual({
      id: KEEP,
      before: { aliasesJson: '[]', identifiersJson: k.identifiersJson },
      after: {
        aliasesJson: plan.moved.kept.after.aliasesJson,
        identifiersJson: plan.moved.kept.after.identifiersJson,
      },
    });
    expect(plan.changes[1]).toEqual({
      id: DUP,
      before: { labels: ['Entity', 'Actor'] },
      after: { labels: ['Merged'], mergedInto: KEEP },
    });
  });

  it('keeps the stricter sensitivity: a duplicate more sensitive than the kept entity is refused', () => {
    const confidential = entity({ id: DUP, sensitivity: 'confidential' });
    expect(refusal(() => checkMergeable(kept, confidential))).toEqual({
      code: 'BAD_USER_INPUT',
      message: `${DUP} is confidential, ${KEEP} only public: keep the more sensitive one`,
      inputPath: ['mergeId'],
    });
    expect(() => checkMergeable(entity({ sensitivity: 'restricted' }), entity({ id: DUP }))).not.toThrow();
    expect(() =>
      checkMergeable(entity({ sensitivity: 'restricted' }), entity({ id: DUP, sensitivity: 'restricted' })),
    ).not.toThrow();
  });

  it('refuses entities of different kinds', () => {
    expect(refusal(() => checkMergeable(kept, entity({ id: DUP, kind: 'Place' })))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: `Only entities of one kind merge: ${KEEP} is an Actor, ${DUP} an Place`,
    });
  });
});

describe('undo planning', () => {
  it('restores the kept properties exactly, or removes only what the merge added', () => {
    const k = entity({});
    const merged = entity({ id: DUP, name: 'B' });
    const { after, aliasesAdded, identifiersAdded } = unionNames(k, merged);
    const before = { aliasesJson: '[]', names: ['A'], identifiersJson: '[]', identifierKeys: [], version: 3 };
    const moved = { kept: { before, after }, aliasesAdded, identifiersAdded } as unknown as Moved;
    expect(keptAfterUndo(after, moved)).toEqual(before);
    const edited = {
      ...after,
      aliasesJson: JSON.stringify([
        { value: 'B', lang: 'en' },
        { value: 'Z', lang: 'en' },
      ]),
      names: ['A', 'B', 'Z'],
      version: 5,
    };
    expect(keptAfterUndo(edited, moved)).toEqual({
      aliasesJson: JSON.stringify([{ value: 'Z', lang: 'en' }]),
      names: ['A', 'Z'],
      identifiersJson: '[]',
      identifierKeys: [],
      version: 6,
    });
  });

  it('restores identifiers the kept entity had, and drops only those the merge added', () => {
    const k = entity({
      identifiersJson: JSON.stringify([{ scheme: 'wikidata', value: 'Q1' }]),
      identifierKeys: ['wikidata:Q1'],
    });
    const merged = entity({
      id: DUP,
      name: 'B',
      identifiersJson: JSON.stringify([{ scheme: 'wikidata', value: 'Q2' }]),
    });
    const { moved } = planMerge(k, merged, [], [], MERGE_ID);
    const later = { ...moved.kept.after, version: 9 };
    expect(keptAfterUndo(later, moved)).toMatchObject({
      identifiersJson: JSON.stringify([{ scheme: 'wikidata', value: 'Q1' }]),
      identifierKeys: ['wikidata:Q1'],
      names: ['A'],
      version: 10,
    });
  });

  it('treats an identifier written another way as the same one, and an undo keeps the kept entity its key', () => {
    const k = entity({
      identifiersJson: JSON.stringify([{ scheme: 'iso3166', value: 'SY' }]),
      identifierKeys: ['iso3166:SY'],
    });
    // FtM writes country codes in lower case.
    const merged = entity({
      id: DUP,
      name: 'B',
      identifiersJson: JSON.stringify([{ scheme: 'iso3166', value: 'sy' }]),
    });
    const { moved } = planMerge(k, merged, [], [], MERGE_ID);
    expect(moved.identifiersAdded).toEqual([]);
    expect(moved.kept.after.identifierKeys).toEqual(['iso3166:SY']);
    const later = { ...moved.kept.after, version: 9 };
    expect(keptAfterUndo(later, moved)).toMatchObject({ identifierKeys: ['iso3166:SY'] });
  });

  it('recreates what moved, takes back the claims it added, and deletes the links it created', () => {
    const publisher = rel({ type: 'PUBLISHED_BY', out: false, otherId: 'src-1', otherLabels: ['Source'] });
    const keptRels = [memberOf(KEEP, ['cl-1']), { ...publisher, eid: 'eid-kept-publisher' }];
    const mergedRels = [
      memberOf(DUP, ['cl-1', 'cl-2']),
      rel({ type: 'ABOUT', out: false, otherId: 'cl-5', otherLabels: ['Claim'], otherSubjectId: DUP }),
      publisher,
    ];
    const { moved } = planMerge(kept, dup, mergedRels, keptRels, MERGE_ID);
    const undo = planUndo(moved);
    expect([...undo.keys()].sort()).toEqual(['ABOUT', 'MEMBER_OF', 'PUBLISHED_BY']);
    // The kept entity had this link already: undo gives the duplicate its own back and leaves the kept one.
    expect(undo.get('PUBLISHED_BY')).toEqual({
      recreate: [{ out: false, otherId: 'src-1', props: [] }],
      targets: [],
      links: [],
    });
    expect(undo.get('MEMBER_OF')).toEqual({
      recreate: [{ out: true, otherId: 'ac-org', props: mergedRels[0]!.props }],
      targets: [
        {
          otherId: 'ac-org',
          targetId: relationId('MEMBER_OF', KEEP, 'ac-org', null),
          remove: ['cl-2'],
          keepIfEmpty: false,
        },
      ],
      links: [],
    });
    expect(undo.get('ABOUT')).toEqual({
      recreate: [{ out: false, otherId: 'cl-5', props: [] }],
      targets: [],
      links: [{ otherId: 'cl-5', props: [] }],
    });
    expect(undoChecks(moved)).toEqual({
      checks: [
        { type: 'MEMBER_OF', otherId: 'ac-org', targetId: relationId('MEMBER_OF', KEEP, 'ac-org', null) },
        { type: 'ABOUT', otherId: 'cl-5', targetId: null },
        { type: 'PUBLISHED_BY', otherId: 'src-1', targetId: null },
      ],
      entityOthers: ['ac-org'],
    });
  });

  it('records the undo: the duplicate an entity again, the claims pointed back, the merge undone', () => {
    const { moved } = planMerge(
      kept,
      dup,
      [rel({ type: 'ABOUT', out: false, otherId: 'cl-5', otherLabels: ['Claim'], otherSubjectId: DUP })],
      [],
      MERGE_ID,
    );
    const out = undoChanges({
      mergeRecordId: MERGE_ID,
      keepId: KEEP,
      mergedId: DUP,
      kind: 'Actor',
      keptAliasesNow: moved.kept.after.aliasesJson,
      moved,
      undoneAt: '2024-01-01T00:00:00Z',
      note: 'not the same',
    });
    expect(out.affectedIds).toEqual([MERGE_ID, KEEP, DUP, 'cl-5']);
    expect(out.changes).toEqual([
      { id: DUP, before: { labels: ['Merged'], mergedInto: KEEP }, after: { labels: ['Entity', 'Actor'] } },
      { id: KEEP, before: { aliasesJson: moved.kept.after.aliasesJson }, after: { aliasesJson: '[]' } },
      { id: 'cl-5', before: { subjectId: KEEP }, after: { subjectId: DUP } },
      {
        id: MERGE_ID,
        before: { undoneAt: null },
        after: { undoneAt: '2024-01-01T00:00:00Z', note: 'not the same' },
      },
    ]);
  });
});

describe('planMerge and the relation type rules', () => {
  const PLACE = { kind: 'Place', _labels: ['Entity', 'Place'] };
  const heldIn = (claimIds: string[]) =>
    rel({
      type: 'HELD_IN',
      out: false,
      otherId: 'ac-detainee',
      props: props({ id: relationId('HELD_IN', 'ac-detainee', DUP, null), claimIds }),
    });

  it('refuses a merge that would leave a detention relationship on a place that is no facility', () => {
    const kept = entity({ ...PLACE, id: KEEP, type: 'city' });
    const merged = entity({ ...PLACE, id: DUP, type: 'facility' });
    expect(refusal(() => planMerge(kept, merged, [heldIn(['cl-1'])], [], MERGE_ID))).toMatchObject({
      code: 'BAD_USER_INPUT',
      inputPath: ['keepId'],
      message: expect.stringMatching(/HELD_IN needs an object of type facility, not city/),
    });
  });

  it('moves it onto another facility', () => {
    const kept = entity({ ...PLACE, id: KEEP, type: 'facility' });
    const merged = entity({ ...PLACE, id: DUP, type: 'facility' });
    expect(() => planMerge(kept, merged, [heldIn(['cl-1'])], [], MERGE_ID)).not.toThrow();
  });
});
