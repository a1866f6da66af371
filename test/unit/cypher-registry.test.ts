import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type EnumTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { neighborhood, paths } from '../../src/graph/queries/explore.js';
import { eventAnchor } from '../../src/graph/queries/listing.js';
import { projectRoot } from '../../src/paths.js';
import { missingSamples, sampleParams } from '../cypher/params.js';
import { allowedBy, selectiveViolations, violations, type PlanNode } from '../cypher/plan-rules.js';
import {
  declaredNames,
  FACTORY_VARIANTS,
  INLINE_EXCEPTIONS,
  inlineStatements,
  loadRegistry,
  nameClashes,
  queryModules,
  statementCalls,
  walk,
} from '../cypher/registry.js';

/**
 * The Cypher registry (test/cypher/registry.ts) holds every statement and variant the application can run,
 * so that test/integration/cypher-plans.test.ts EXPLAINs them all. These checks fail when a statement
 * escapes it: a new factory without variants, a statement that is not exported, a variant the factory
 * accepts but the list forgets, or a parameter without a sample value.
 */

const modules = await queryModules();
const walked = walk(modules);
const inline = inlineStatements();
const registry = await loadRegistry();
const names = registry.entries.map((e) => e.name);

describe('Cypher registry', () => {
  it('walks every queries module and finds their statements and variants', () => {
    expect(modules.map((m) => m.module)).toEqual(expect.arrayContaining(['listing', 'merge', 'records']));
    expect(registry.entries.length).toBeGreaterThan(200);
    expect(names).toEqual(expect.arrayContaining(['records.nodesById', 'merge.move.INVOLVED_IN']));
  });

  it('knows every exported function: a factory with its variants, or a fragment helper', () => {
    expect(
      walked.unclassified,
      'exported functions that are neither (add a factory to FACTORY_VARIANTS)',
    ).toEqual([]);
    expect(walked.staleFactories, 'FACTORY_VARIANTS keys that name no exported function').toEqual([]);
  });

  it.each(Object.entries(FACTORY_VARIANTS))(
    '%s gives a distinct statement for each variant',
    (key, variants) => {
      const made = new Set(registry.entries.filter((e) => e.origin.startsWith(`${key}(`)).map((e) => e.name));
      expect(made.size).toBe(variants.length);
    },
  );

  it.each(modules.map((m) => [m.module, m.file] as const))(
    'queries/%s.ts declares no statement the registry misses',
    (_module, file) => {
      const missed = declaredNames(readFileSync(file, 'utf8'))
        .filter((re) => !names.some((n) => re.test(n)))
        .map(String);
      expect(missed).toEqual([]);
    },
  );

  it('lists the variants the application asks for: every order of the schema, anchor, depth and length', () => {
    const schema = parse(readFileSync(path.join(projectRoot, 'schema/listing.graphql'), 'utf8'));
    const order = schema.definitions.find(
      (d): d is EnumTypeDefinitionNode => d.kind === 'EnumTypeDefinition' && d.name.value === 'EventOrder',
    );
    const orders = order!.values!.map((v) => v.name.value);
    const listed = new Set(FACTORY_VARIANTS['listing.eventsPage']!.map((args) => args[0]));
    expect([...listed].sort()).toEqual([...orders].sort());

    const anchors = new Set(FACTORY_VARIANTS['listing.eventsPage']!.map((args) => args[2]));
    for (const actorId of [null, 'ac-x']) {
      for (const placeId of [null, 'pl-x']) expect(anchors).toContain(eventAnchor({ actorId, placeId }));
    }
    // The factories refuse what lies outside the listed range, so the list is the whole range.
    const depths = FACTORY_VARIANTS['explore.neighborhood']!.map((args) => args[0] as number);
    expect(() => neighborhood(Math.min(...depths) - 1)).toThrow();
    expect(() => neighborhood(Math.max(...depths) + 1)).toThrow();
    const lengths = FACTORY_VARIANTS['explore.paths']!.map((args) => args[0] as number);
    expect(() => paths(Math.min(...lengths) - 1)).toThrow();
    expect(() => paths(Math.max(...lengths) + 1)).toThrow();
  });

  it('gives each statement name one Cypher text', () => {
    expect(nameClashes([...walked.entries, ...inline.entries])).toEqual([]);
  });

  it('reads statements declared outside the queries modules, and says why when it cannot', () => {
    // Wherever they are declared (a statement moved into a queries module is walked instead).
    expect(names).toEqual(expect.arrayContaining(['migrations.listApplied', 'system.listMigrations']));
    expect(inline.computed.filter((c) => !(c in INLINE_EXCEPTIONS))).toEqual([]);
    expect(Object.keys(INLINE_EXCEPTIONS).filter((c) => !inline.computed.includes(c))).toEqual([]);
  });

  it('reads literal statements from source, names and Cypher', () => {
    const src = `const a = statement<{ id: string }>('x.a', 'MATCH (n {id: $id}) RETURN n');
      const b = statement(\`x.b.\${kind}\`, \`MATCH (n:\${label}) RETURN n\`);
      const c = statement('x.c', \`RETURN '\${'}'}' AS brace\`);`;
    expect(statementCalls(src)).toEqual([
      { name: 'x.a', cypher: 'MATCH (n {id: $id}) RETURN n', written: "'x.a'" },
      { name: 'x.b.\u0000', cypher: null, written: '`x.b.${kind}`' },
      { name: 'x.c', cypher: null, written: "'x.c'" },
    ]);
    expect(
      declaredNames("cached(`listing.events.${o}${a === 'all' ? '' : `.by-${a}`}`, () => '')")[0]!.test(
        'listing.events.NAME_ASC.by-place',
      ),
    ).toBe(true);
  });

  it('has a sample value for every parameter of every statement', () => {
    const missing = registry.entries.flatMap((e) => missingSamples(e).map((p) => `${e.name} $${p}`));
    expect(missing).toEqual([]);
    expect(sampleParams(registry.get('records.nodesById'))).toEqual({
      visible: ['public', 'restricted'],
      ids: ['ev-sample', 'ac-sample'],
    });
    expect(sampleParams(registry.get('provenance.conflictsPage')).after).toEqual([
      'ev-sample',
      'killed|people|',
    ]);
  });
});

describe('Plan rules', () => {
  const plan = (operatorType: string, details = '', children: PlanNode[] = []): PlanNode => ({
    operatorType: `${operatorType}@neo4j`,
    arguments: { Details: details },
    children,
  });

  it('finds refused operators anywhere in the tree, label scans of large labels only', () => {
    const tree = plan('ProduceResults', 'n', [
      plan('Apply', '', [
        plan('NodeByLabelScan', 'm:Migration'),
        plan('CartesianProduct', '', [plan('NodeByLabelScan', 'e:Event'), plan('AllNodesScan', 'x')]),
      ]),
      plan('Eager', 'read/set conflict for property: version'),
      plan('UnionNodeByLabelsScan', 'cdX:Entity|Figure'),
    ]);
    expect(violations(tree).map((v) => v.rule)).toEqual([
      'CartesianProduct',
      'NodeByLabelScan(Event)',
      'AllNodesScan',
      'Eager',
      'NodeByLabelScan(Entity)',
    ]);
  });

  it('refuses every scan of an index, a label or the graph in a selective statement, and only there', () => {
    const tree = plan('ProduceResults', 'entity', [
      plan('Apply', '', [
        plan('NodeIndexScan', 'RANGE INDEX n:Entity(identifierKeys) WHERE identifierKeys IS NOT NULL'),
        plan('NodeByLabelScan', 'm:Migration'),
        plan('NodeUniqueIndexSeek', 'UNIQUE n:Entity(id) WHERE id = $id'),
        plan('ProcedureCall', 'db.index.fulltext.queryNodes(...)'),
      ]),
      plan('AllNodesScan', 'x'),
    ]);
    expect(selectiveViolations('identity.entityByIdentifier', tree).map((v) => v.rule)).toEqual([
      'Selective(NodeIndexScan)',
      'Selective(NodeByLabelScan)',
      'Selective(AllNodesScan)',
    ]);
    expect(selectiveViolations('identity.matchCandidates', tree)).toEqual([]);
  });

  it('refuses a sort between an ordered index seek and its limit in a statement that pages in index order', () => {
    const seek = () =>
      plan(
        'DirectedRelationshipIndexSeek',
        'RANGE INDEX (e)-[ip:IN_PLACE(placeId, at, key, eventId)]->(p) WHERE placeId = $placeId',
      );
    const name = 'listing.events.DATE_ASC.by-place-date';
    const limited = plan('ProduceResults', 'rows', [
      plan('Top', 'k ASC', [plan('Limit', '$limit', [plan('OrderedDistinct', 'e', [seek()])])]),
    ]);
    expect(selectiveViolations(name, limited)).toEqual([]);
    const sorted = plan('ProduceResults', 'rows', [
      plan('Limit', '$limit', [plan('Top', 'rk ASC', [seek()])]),
    ]);
    expect(selectiveViolations(name, sorted).map((v) => v.rule)).toEqual(['Selective(Top)']);
    expect(selectiveViolations('listing.events.DATE_ASC.by-place', sorted)).toEqual([]);
    const actorSeek = plan(
      'DirectedRelationshipIndexSeek',
      'RANGE INDEX (e)-[wa:WITH_ACTOR(actorId, key, eventId)]->(a) WHERE actorId = $actorId',
    );
    const actorSorted = plan('ProduceResults', 'node', [plan('Top', 'rk ASC', [actorSeek])]);
    expect(selectiveViolations('listing.timeline.by-actor-date', actorSorted).map((v) => v.rule)).toEqual([
      'Selective(Top)',
    ]);
  });

  it('allows an exception only for the statements and the rule its pattern names', () => {
    expect(allowedBy('merge.move.ABOUT', 'Eager')).toBe('merge.move.* Eager');
    expect(allowedBy('merge.move.ABOUT', 'NodeByLabelScan(Claim)')).toBeUndefined();
    expect(allowedBy('listing.events.DATE_DESC+claims', 'NodeByLabelScan(Event)')).toBeDefined();
    expect(allowedBy('listing.events.DATE_DESC+claims.by-actor', 'NodeByLabelScan(Event)')).toBeUndefined();
    expect(allowedBy('listing.events.NAME_ASC+total.by-place', 'CartesianProduct')).toBeDefined();
    expect(allowedBy('records.nodesById', 'CartesianProduct')).toBeUndefined();
  });

  it('refuses a scan of any label or index in a selective statement: the walks and search are selective', () => {
    const tree = plan('ProduceResults', 'n', [plan('NodeByLabelScan', 'm:Migration')]);
    expect(violations(tree)).toEqual([]);
    for (const name of ['explore.neighborhood.depth2', 'explore.paths.max4', 'explore.search'])
      expect(selectiveViolations(name, tree).map((v) => v.rule)).toEqual(['Selective(NodeByLabelScan)']);
    const indexScan = plan('ProduceResults', 'n', [plan('NodeIndexScan', 'n:Entity(identifierKeys)')]);
    expect(selectiveViolations('explore.search', indexScan)).toHaveLength(1);
    expect(selectiveViolations('listing.events.DATE_ASC', tree)).toEqual([]);
  });
});
