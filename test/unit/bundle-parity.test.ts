import { buildSchema, getNamedType, GraphQLInputObjectType } from 'graphql';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import * as bundle from '../../src/io/bundle/schema.js';
import { FuzzyDateInput } from '../../src/model/fuzzy-date.js';
import { loadTypeDefs } from '../../src/server.js';

/**
 * The rule of issue #15: whatever a bundle can express, a mutation can, and the other way round. Each
 * bundle schema (src/io/bundle/schema.ts) is compared, field by field, with the GraphQL input a mutation
 * takes for the same thing (schema/write.graphql). A field present on one side only must be either
 * renamed (the table says what it is called on the other side) or an exception (with the reason it
 * cannot or need not exist there). Entries that no longer match the schemas fail too, so the table stays
 * true.
 *
 * Adding a field? Add it to BOTH src/io/bundle/schema.ts and schema/write.graphql (same name, or an entry
 * in `renamed`), make the loader and the mutation store it the same way, and only when one side really
 * cannot carry it add an `onlyInBundle` / `onlyInMutation` entry saying why.
 */

type Reasons = Record<string, string>;

interface Pair {
  /** Name of the zod schema in src/io/bundle/schema.ts (or model/fuzzy-date.ts). */
  bundle: string;
  schema: z.ZodType;
  /** Name of the GraphQL input type. */
  input: string;
  /** Bundle field → mutation field, for the same thing named differently. */
  renamed?: Record<string, string>;
  /** Fields only a bundle has, each with its reason. */
  onlyInBundle?: Reasons;
  /** Fields only the mutation input has, each with its reason. */
  onlyInMutation?: Reasons;
}

const SERVER_ID = 'ids are chosen by the server in the write API (a bundle names its records to cite them)';
const RECORDED =
  'who recorded it and when are the API key and the time of the write (a bundle states them for its loader)';
const STATUS =
  'status changes are their own mutations (disputeClaim, retractClaim) with their reason, author and time; a bundle carries them for lossless export';
const ENTITY_KIND = 'a bundle says the kind by the list it is in (actors, places, events) and the id prefix';
const EVENTS_ONLY =
  'events only: the mutation has one input for every kind and refuses dates on actors and places';

const PLACES_ONLY =
  'facilities only: the mutation has one input for every kind and refuses a facility kind on anything but a place of type facility';

const entity = (name: 'ActorInput' | 'PlaceInput' | 'EventInput', events: boolean): Pair => ({
  bundle: name,
  schema: bundle[name],
  input: 'CreateEntityInput',
  onlyInBundle: { id: SERVER_ID },
  onlyInMutation: {
    kind: ENTITY_KIND,
    ...(events ? {} : { date: EVENTS_ONLY, endDate: EVENTS_ONLY }),
    ...(name === 'PlaceInput' ? {} : { facilityKind: PLACES_ONLY }),
  },
});

const PAIRS: Pair[] = [
  {
    bundle: 'SourceInput',
    schema: bundle.SourceInput,
    input: 'IngestSourceInput',
    renamed: { publisher: 'publisherId' },
    onlyInBundle: {
      id: SERVER_ID + ' (a source id is derived from its text)',
      file: 'the text of a bundle source may sit in a file beside the bundle; the mutation takes the text itself',
      sha256:
        'a check that the file beside the bundle is the one meant; the server computes the sha256 of the text it receives',
      dataset:
        'releases of a dataset are loaded by imports (kg import --dataset), whose later releases supersede; the write API records one report at a time',
    },
  },
  entity('ActorInput', false),
  entity('PlaceInput', false),
  entity('EventInput', true),
  {
    bundle: 'ClaimInput',
    schema: bundle.ClaimInput,
    input: 'RecordClaimInput',
    renamed: { subject: 'subjectId', source: 'sourceId', quotes: 'excerpts' },
    onlyInBundle: {
      id: SERVER_ID,
      slot: 'the slot of an imported dataset release (imports set it, see SourceRow.dataset)',
      status: STATUS,
      statusReason: STATUS,
      statusChangedAt: STATUS,
      statusChangedBy: STATUS,
      recordedBy: RECORDED,
      recordedAt: RECORDED,
    },
  },
  {
    bundle: 'FigureValue',
    schema: bundle.FigureValue,
    input: 'ClaimFigureInput',
    renamed: { shareOf: 'shareOfClaimId', during: 'duringId' },
  },
  {
    bundle: 'RelationValue',
    schema: bundle.RelationValue,
    input: 'ClaimRelationInput',
    renamed: { object: 'objectId' },
  },
  {
    bundle: 'AttributeValue',
    schema: bundle.AttributeValue,
    input: 'ClaimAttributeInput',
    onlyInMutation: {
      date: "a bundle's value is a string, a number or a fuzzy date in one field; GraphQL inputs have no unions, so a date has its own field",
    },
  },
  {
    bundle: 'Quote',
    schema: bundle.Quote,
    input: 'ExcerptInput',
    renamed: { exact: 'quote' },
    onlyInBundle: {
      source:
        "a bundle claim may cite words of several of the bundle's sources; a recorded claim cites one stored source (sourceId): record the same claim again from the other source",
    },
  },
  {
    bundle: 'PublicationHopInput',
    schema: bundle.PublicationHopInput,
    input: 'PublicationHopInput',
    renamed: { actor: 'actorId' },
  },
  {
    bundle: 'AttributionHop',
    schema: bundle.AttributionHop,
    input: 'AttributionHopInput',
    renamed: { actor: 'actorId', quote: 'excerpt' },
  },
  {
    bundle: 'LinkInput',
    schema: bundle.LinkInput,
    input: 'LinkEntitiesInput',
    renamed: { from: 'fromId', to: 'toId', claims: 'claimIds' },
  },
  { bundle: 'Alias', schema: bundle.Alias, input: 'AliasInput' },
  { bundle: 'ExternalIdentifier', schema: bundle.ExternalIdentifier, input: 'ExternalIdentifierInput' },
  { bundle: 'FuzzyDateInput', schema: FuzzyDateInput, input: 'FuzzyDateInput' },
];

const schema = buildSchema(loadTypeDefs());

/** The object fields of a zod schema (the object branch of a union such as Quote). */
function zodFields(s: z.ZodType): string[] {
  if (s instanceof z.ZodObject) return Object.keys(s.shape);
  if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).flatMap(zodFields);
  if (s instanceof z.ZodPipe) return zodFields(s.in as z.ZodType);
  return [];
}

function inputFields(name: string): Map<string, GraphQLInputObjectType | null> {
  const t = schema.getType(name);
  if (!(t instanceof GraphQLInputObjectType)) throw new Error(`${name} is not a GraphQL input type`);
  return new Map(
    Object.values(t.getFields()).map((f) => {
      const named = getNamedType(f.type);
      return [f.name, named instanceof GraphQLInputObjectType ? named : null];
    }),
  );
}

const HOW = `Fix it in one of these ways:
  - add the field to the other side too: src/io/bundle/schema.ts and schema/write.graphql (then npm run codegen), and store it the same way in the bundle loader and the mutation;
  - if it is the same thing under another name, add it to \`renamed\` of this pair in test/unit/bundle-parity.test.ts;
  - only if one side cannot carry it, add it to \`onlyInBundle\` / \`onlyInMutation\` with the reason.`;

function problemsOf(p: Pair): string[] {
  const out: string[] = [];
  const b = new Set(zodFields(p.schema));
  const m = inputFields(p.input);
  const renamed = p.renamed ?? {};
  const targets = new Set(Object.values(renamed));
  const onlyB = p.onlyInBundle ?? {};
  const onlyM = p.onlyInMutation ?? {};
  const where = `${p.bundle} (bundle) ↔ ${p.input} (mutation)`;
  for (const f of b) {
    if (m.has(f) || f in onlyB) continue;
    if (f in renamed) continue;
    out.push(`${where}: bundle field "${f}" has no mutation field.`);
  }
  for (const f of m.keys()) {
    if (b.has(f) || targets.has(f) || f in onlyM) continue;
    out.push(`${where}: mutation field "${f}" has no bundle field.`);
  }
  for (const [from, to] of Object.entries(renamed)) {
    if (!b.has(from) || !m.has(to))
      out.push(
        `${where}: stale entry renamed.${from} = "${to}": ${b.has(from) ? '' : `the bundle has no "${from}" `}${m.has(to) ? '' : `the mutation has no "${to}"`}; remove or correct it.`,
      );
    if (m.has(from))
      out.push(`${where}: renamed.${from}: the mutation has "${from}" itself; remove the entry.`);
  }
  for (const f of Object.keys(onlyB)) {
    if (!b.has(f))
      out.push(`${where}: stale exception onlyInBundle.${f}: the bundle has no such field; remove it.`);
    else if (m.has(f))
      out.push(`${where}: stale exception onlyInBundle.${f}: the mutation has it now; remove it.`);
  }
  for (const f of Object.keys(onlyM)) {
    if (!m.has(f))
      out.push(`${where}: stale exception onlyInMutation.${f}: the mutation has no such field; remove it.`);
    else if (b.has(f) || targets.has(f))
      out.push(`${where}: stale exception onlyInMutation.${f}: the bundle has it now; remove it.`);
  }
  return out;
}

describe('whatever a bundle can express, a mutation can (and the other way round)', () => {
  it.each(PAIRS.map((p) => [`${p.bundle} ↔ ${p.input}`, p] as const))('%s agree field by field', (_, p) => {
    expect(
      zodFields(p.schema).length,
      `${p.bundle} has no fields: is it still a zod object?`,
    ).toBeGreaterThan(0);
    const problems = problemsOf(p);
    expect(problems, problems.length ? `\n${problems.join('\n')}\n\n${HOW}\n` : '').toEqual([]);
  });

  it('pairs every input type a paired input nests', () => {
    const paired = new Set(PAIRS.map((p) => p.input));
    const missing = new Set<string>();
    for (const p of PAIRS) {
      for (const [field, nested] of inputFields(p.input)) {
        if (nested && !paired.has(nested.name)) missing.add(`${p.input}.${field}: ${nested.name}`);
      }
    }
    expect(
      [...missing],
      'a nested GraphQL input needs its own pair in PAIRS (test/unit/bundle-parity.test.ts), with the bundle schema it corresponds to',
    ).toEqual([]);
  });

  it('says why for every exception', () => {
    for (const p of PAIRS) {
      for (const reason of [...Object.values(p.onlyInBundle ?? {}), ...Object.values(p.onlyInMutation ?? {})])
        expect(reason.length).toBeGreaterThan(20);
    }
  });

  it('catches a field on one side only and a stale entry (the check itself)', () => {
    const probe: Pair = {
      bundle: 'Alias',
      schema: bundle.Alias.extend({ script: z.string() }),
      input: 'AliasInput',
      renamed: { gone: 'alsoGone' },
      onlyInMutation: { value: 'stale: both sides have it' },
    };
    expect(problemsOf(probe)).toEqual([
      'Alias (bundle) ↔ AliasInput (mutation): bundle field "script" has no mutation field.',
      'Alias (bundle) ↔ AliasInput (mutation): stale entry renamed.gone = "alsoGone": the bundle has no "gone" the mutation has no "alsoGone"; remove or correct it.',
      'Alias (bundle) ↔ AliasInput (mutation): stale exception onlyInMutation.value: the bundle has it now; remove it.',
    ]);
  });
});
