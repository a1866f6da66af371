import { z } from 'zod';
import {
  ACTOR_TYPES,
  CLAIM_STATUSES,
  EVENT_TYPES,
  FACILITY_KINDS,
  FIGURE_AGE_GROUPS,
  FIGURE_QUALIFIERS,
  FIGURE_SEXES,
  FIGURE_UNITS,
  IDENTIFIER_SCHEMES,
  PLACE_TYPES,
  RELIABILITIES,
  ROLES,
  SENSITIVITIES,
} from '../../model/enums.js';
import { durationProblem } from '../../model/claims.js';
import { FuzzyDateInput } from '../../model/fuzzy-date.js';
import { MAX_PUBLICATION_HOPS, RELATION_TYPES } from '../../model/graph-model.js';
import { StoreSection } from './store.js';

/**
 * The project's bundle format (hrkg-bundle/1): a human-readable file (YAML or JSON) that decomposes
 * sources into entities, figures and claims. Claims cite their evidence by exact quote; the loader
 * finds each quote in the source text and stores code-point offsets. See data/README.md.
 */

const id = (prefix: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}[a-z0-9][a-z0-9-]{0,100}$`),
      `an id starting with "${prefix}", then a-z, 0-9 and -`,
    );

/** Any entity id (event, actor or place). */
const entityId = z
  .string()
  .regex(/^(ev|ac|pl)-[a-z0-9][a-z0-9-]{0,100}$/, 'an event (ev-), actor (ac-) or place (pl-) id');

export const Alias = z
  .object({
    value: z.string().trim().min(1).max(300),
    lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag such as en or ar'),
  })
  .strict();

export const ExternalIdentifier = z
  .object({ scheme: z.enum(IDENTIFIER_SCHEMES), value: z.string().trim().min(1).max(500) })
  .strict();

/** Claims of the bundle that give an entity's alias or identifier (addAlias / addIdentifier): about it. */
const nameClaims = z.array(id('cl-')).min(1).nullish();
/** An entity's alias in a bundle, with the claims giving it when there is evidence (addAlias). */
export const EntityAlias = z.object({ ...Alias.shape, claims: nameClaims }).strict();
/** An entity's identifier in a bundle, with the claims giving it when there is evidence (addIdentifier). */
export const EntityIdentifier = z.object({ ...ExternalIdentifier.shape, claims: nameClaims }).strict();

const entityBase = {
  name: z.string().trim().min(1).max(300),
  /** Language of the primary name. */
  lang: z.string().default('en'),
  aliases: z.array(EntityAlias).default([]),
  description: z.string().max(5000).nullish(),
  identifiers: z.array(EntityIdentifier).default([]),
  sensitivity: z.enum(SENSITIVITIES).default('public'),
};

export const ActorInput = z.object({ id: id('ac-'), type: z.enum(ACTOR_TYPES), ...entityBase }).strict();
export const PlaceInput = z
  .object({
    id: id('pl-'),
    type: z.enum(PLACE_TYPES),
    ...entityBase,
    /** Places of type facility only: what kind of facility (its operator: OPERATES claims). */
    facilityKind: z.enum(FACILITY_KINDS).nullish(),
  })
  .strict();
export const EventInput = z
  .object({
    id: id('ev-'),
    type: z.enum(EVENT_TYPES),
    ...entityBase,
    /** When it happened (a point) or began (a period). */
    date: FuzzyDateInput.nullish(),
    /** When a period ended. */
    endDate: FuzzyDateInput.nullish(),
  })
  .strict();

/**
 * Where a source was read: an http(s) address. Other schemes (javascript:, data:, file:) are no place to
 * read a source, and the field's tools refuse them (FtM's url type).
 */
export const SourceUrl = z
  .url({ protocol: /^https?$/, error: 'give the http(s) address the source was read at' })
  .max(2000);

/** One outlet that carried a source to the reader: a site carrying a wire story, a republished report. */
export const PublicationHopInput = z
  .object({
    /** The actor (outlet) that carried it. */
    actor: id('ac-'),
    /** Where it carried it: an http(s) address. */
    url: SourceUrl.nullish(),
    /** When it carried it, as precisely as known. */
    published: FuzzyDateInput.nullish(),
  })
  .strict();

export const SourceInput = z
  .object({
    id: id('src-'),
    /** Path of the text file, relative to the bundle file (or give the text inline). */
    file: z.string().min(1).nullish(),
    /** The text itself, when not in a file. */
    text: z.string().nullish(),
    /** sha256 of the file's UTF-8 bytes; the loader refuses a file that does not match. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    title: z.string().trim().min(1).max(1000),
    publisher: id('ac-').nullish(),
    /** The dataset this file is a release of: a later release's claim in the same slot supersedes. */
    dataset: z.string().trim().min(1).max(200).nullish(),
    language: z.string().min(2).max(35),
    url: SourceUrl.nullish(),
    retrievedAt: z.iso.datetime({ offset: true }).nullish(),
    published: FuzzyDateInput.nullish(),
    reliability: z.enum(RELIABILITIES).default('unknown'),
    sensitivity: z.enum(SENSITIVITIES).default('public'),
    notes: z.string().max(5000).nullish(),
    /** The outlets that carried it to the reader, nearest to the reader first (the publisher is the origin). */
    publishedVia: z.array(PublicationHopInput).max(MAX_PUBLICATION_HOPS).default([]),
  })
  .strict()
  .refine((s) => (s.file == null) !== (s.text == null), { message: 'give exactly one of file or text' });

/** An ISO 8601 duration (model/claims.ts durationProblem: the one rule). */
export const FigureDuration = z.string().superRefine((v, ctx) => {
  const problem = durationProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A role or category term of a subgroup: lower_snake_case, e.g. army_defectors, journalists. */
export const FigureCategory = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,80}$/, 'a lower_snake_case term such as army_defectors');

export const FigureValue = z
  .object({
    /** What is counted, lower_snake_case, e.g. people_released, people_arrested, deaths_in_custody. */
    measure: z.string().regex(/^[a-z][a-z0-9_]{1,80}$/),
    value: z.number().finite().nullish(),
    min: z.number().finite().nullish(),
    max: z.number().finite().nullish(),
    qualifier: z.enum(FIGURE_QUALIFIERS),
    unit: z.enum(FIGURE_UNITS),
    /** A subgroup of what is counted, e.g. women. */
    subgroup: z.string().max(100).nullish(),
    /** The source's own wording of the number, e.g. "nearly 1,168", "tens of thousands". */
    text: z.string().max(300).nullish(),
    /** The period the figure covers. */
    periodStart: FuzzyDateInput.nullish(),
    periodEnd: FuzzyDateInput.nullish(),
    /** When the figure was true ("so far", "till now"). */
    asOf: FuzzyDateInput.nullish(),
    /** Another figure's claim id when this one is a share of it (e.g. 83% of the deaths). */
    shareOf: id('cl-').nullish(),
    /** An event whose period this figure covers (e.g. the Iranian supervision of prisons). */
    during: id('ev-').nullish(),
    /** The figure's own sensitivity, when it differs from its claim's (set apart with setSensitivity). */
    sensitivity: z.enum(SENSITIVITIES).nullish(),
    /** A span the figure covers without anchored dates, ISO 8601 ("over four years": P4Y). */
    duration: FigureDuration.nullish(),
    /** The subgroup's sex, when the source says ("40 were women": female). */
    sex: z.enum(FIGURE_SEXES).nullish(),
    /** The subgroup's age group, when the source says. */
    ageGroup: z.enum(FIGURE_AGE_GROUPS).nullish(),
    /** The subgroup's role or category, lower_snake_case, e.g. army_defectors. */
    category: FigureCategory.nullish(),
  })
  .strict();

export const RelationValue = z
  .object({
    type: z.enum(RELATION_TYPES as [string, ...string[]]),
    object: entityId,
    role: z.enum(ROLES).nullish(),
    /** The post held ("head of"), for MEMBER_OF and COMMANDS: part of the relationship's identity. */
    position: z.string().trim().min(1).max(300).nullish(),
    /** When the relationship held (stored on the claim, like a figure's period). */
    periodStart: FuzzyDateInput.nullish(),
    periodEnd: FuzzyDateInput.nullish(),
  })
  .strict();

export const AttributeValue = z
  .object({
    /** The entity property this claim is about, e.g. date, name, scope. */
    property: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,60}$/),
    /** A fuzzy date for property "date"/"endDate", otherwise text or a number. */
    value: z.union([z.string(), z.number(), FuzzyDateInput]),
  })
  .strict();

/**
 * Exact words, found by the loader (must occur once), or exact words at given code-point offsets (verified),
 * in the claim's source or, when the quote names one, in another source of the bundle (a claim cited by
 * several sources).
 */
export const Quote = z.union([
  z.string().min(1).max(5000),
  z
    .object({
      exact: z.string().min(1).max(5000),
      start: z.number().int().min(0),
      end: z.number().int().min(1),
      source: id('src-').nullish(),
    })
    .strict()
    .refine((q) => q.end > q.start, { message: 'end must be after start' }),
]);

/** One hop of a claim's attribution with detail: who, in what capacity, and the words naming them. */
export const AttributionHop = z
  .object({
    actor: id('ac-'),
    /** In what capacity they spoke, e.g. "director of the monitor, speaking for it". */
    capacity: z.string().trim().min(1).max(500).nullish(),
    /** The words of the claim's source naming this hop (exactly once, or at the offsets given). */
    quote: Quote.nullish(),
  })
  .strict();

export const ClaimInput = z
  .object({
    id: id('cl-'),
    /** Tag of the fact in an inventory (e.g. F4 in DOMAIN.md), for cross-reference only. */
    fact: z.string().max(20).nullish(),
    /** What the claim speaks of in its source's dataset, the same in every release (imports set it). */
    slot: id('cl-').nullish(),
    subject: entityId,
    /** One sentence, in the recorder's words, saying what is claimed. */
    summary: z.string().trim().min(1).max(2000),
    relation: RelationValue.nullish(),
    figure: FigureValue.nullish(),
    attribute: AttributeValue.nullish(),
    /** Evidence: the source, and the exact words in it (each must occur exactly once). */
    source: id('src-'),
    quotes: z.array(Quote).min(1),
    /** Who said it, nearest first: [who the source quotes, who told them, ...]. */
    attributedTo: z.array(id('ac-')).default([]),
    status: z.enum(CLAIM_STATUSES).default('asserted'),
    /** Why the claim was disputed or retracted, when, and by whom (kept by lossless exports). */
    statusReason: z.string().min(1).max(2000).nullish(),
    statusChangedAt: z.iso.datetime({ offset: true }).nullish(),
    statusChangedBy: z.string().min(1).max(500).nullish(),
    confidence: z.number().min(0).max(1).nullish(),
    sensitivity: z.enum(SENSITIVITIES).default('public'),
    /** Who recorded this claim and when, when not the bundle's recordedBy / recordedAt. */
    recordedBy: z.string().min(1).max(500).nullish(),
    recordedAt: z.iso.datetime({ offset: true }).nullish(),
    /** Who said it, nearest first, with each hop's capacity and quote: attributedTo with detail (not both). */
    attribution: z.array(AttributionHop).nullish(),
  })
  .strict()
  .refine((c) => [c.relation, c.figure, c.attribute].filter((x) => x != null).length <= 1, {
    message: 'a claim asserts at most one of relation, figure or attribute (none: a plain statement)',
  })
  .refine((c) => c.attribution == null || c.attributedTo.length === 0, {
    message: 'give attribution or attributedTo, not both',
    path: ['attribution'],
  });

/**
 * A relationship cited by claims that are not themselves relation claims of it (the write API's
 * linkEntities): without it an export would lose such relationships.
 */
export const LinkInput = z
  .object({
    type: z.enum(RELATION_TYPES as [string, ...string[]]),
    from: entityId,
    to: entityId,
    role: z.enum(ROLES).nullish(),
    /** Claims of the bundle asserting the link; each must be about one of its ends. */
    claims: z.array(id('cl-')).min(1),
    /** The post held, for MEMBER_OF and COMMANDS (part of the relationship's identity). */
    position: z.string().trim().min(1).max(300).nullish(),
  })
  .strict();

export const BundleInput = z
  .object({
    format: z.literal('hrkg-bundle/1'),
    /** Who curated the bundle; recorded as recordedBy on every claim. */
    recordedBy: z.string().trim().min(1).max(200),
    recordedAt: z.iso.datetime({ offset: true }),
    description: z.string().max(5000).nullish(),
    sources: z.array(SourceInput).default([]),
    actors: z.array(ActorInput).default([]),
    places: z.array(PlaceInput).default([]),
    events: z.array(EventInput).default([]),
    claims: z.array(ClaimInput).default([]),
    links: z.array(LinkInput).default([]),
    /** A backup: every node and relationship of the store (full exports only; see src/io/bundle/store.ts). */
    store: StoreSection.nullish(),
  })
  .strict();

export type BundleInput = z.output<typeof BundleInput>;
export type ClaimInput = z.output<typeof ClaimInput>;
export type EventInput = z.output<typeof EventInput>;
export type ActorInput = z.output<typeof ActorInput>;
export type PlaceInput = z.output<typeof PlaceInput>;
export type SourceInput = z.output<typeof SourceInput>;
export type LinkInput = z.output<typeof LinkInput>;
