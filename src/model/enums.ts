/**
 * The vocabularies of the model, as data. GraphQL enums (schema/*.graphql), validation (zod) and
 * exports are checked against these lists, so a value cannot exist in one place and not the other.
 * Values are lower_snake_case in the graph and UPPER_SNAKE_CASE in GraphQL.
 */

export const EVENT_TYPES = [
  'amnesty_decree',
  'release_batch',
  'reporting_obligation',
  'arrest_detention',
  'death_in_custody',
  'supervision',
  'statement',
  'other',
] as const;

export const ACTOR_TYPES = ['person', 'organization', 'public_body', 'group', 'state', 'unknown'] as const;

export const PLACE_TYPES = ['country', 'governorate', 'district', 'city', 'facility', 'area'] as const;

/** Roles of an actor in an event (ESF, ACLED actor1/actor2). */
export const ROLES = [
  'issuer',
  'perpetrator',
  'implementer',
  'supervisor',
  'victim',
  'beneficiary',
  'witness',
  'reporter',
  'subject',
  'other',
] as const;

export const SENSITIVITIES = ['public', 'restricted', 'confidential'] as const;

export const CLAIM_STATUSES = ['asserted', 'disputed', 'retracted'] as const;

/** ESF / Admiralty-style reliability of a source. */
export const RELIABILITIES = [
  'highly_reliable',
  'usually_reliable',
  'fairly_reliable',
  'not_usually_reliable',
  'highly_unreliable',
  'unknown',
] as const;

export const DATE_PRECISIONS = ['day', 'month', 'year', 'unknown'] as const;
export const DATE_QUALIFIERS = ['exact', 'approximate', 'before', 'after'] as const;

/** How a figure's value relates to the true number ("nearly 1,168": approximately; "exceeded": more_than). */
export const FIGURE_QUALIFIERS = [
  'exact',
  'approximately',
  'at_least',
  'more_than',
  'at_most',
  'less_than',
] as const;

export const FIGURE_UNITS = ['people', 'percent', 'days', 'events', 'other'] as const;

export const IDENTIFIER_SCHEMES = [
  'wikidata',
  'acled',
  'opensanctions',
  'ftm',
  'url',
  'iso3166',
  'other',
] as const;

/**
 * What kind of detention facility a place of type facility is (Security Force Monitor's sites; the
 * operator is an OPERATES relation, claims-backed like every relation).
 */
export const FACILITY_KINDS = [
  'prison',
  'military_prison',
  'intelligence_branch',
  'branch_headquarters',
  'detention_centre',
  'police_station',
  'military_base',
  'unofficial_site',
  'other',
] as const;
/** Sex of the people a figure counts, when the source says ("40 were women": female). */
export const FIGURE_SEXES = ['female', 'male', 'mixed', 'unknown'] as const;

/** Age group of the people a figure counts, when the source says ("children": child). */
export const FIGURE_AGE_GROUPS = ['child', 'adult', 'elderly', 'mixed', 'unknown'] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type ActorType = (typeof ACTOR_TYPES)[number];
export type PlaceType = (typeof PLACE_TYPES)[number];
export type Role = (typeof ROLES)[number];
export type Sensitivity = (typeof SENSITIVITIES)[number];
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export type Reliability = (typeof RELIABILITIES)[number];
export type DatePrecision = (typeof DATE_PRECISIONS)[number];
export type DateQualifier = (typeof DATE_QUALIFIERS)[number];
export type FigureQualifier = (typeof FIGURE_QUALIFIERS)[number];
export type FigureUnit = (typeof FIGURE_UNITS)[number];
export type IdentifierScheme = (typeof IDENTIFIER_SCHEMES)[number];
export type FacilityKind = (typeof FACILITY_KINDS)[number];
export type FigureSex = (typeof FIGURE_SEXES)[number];
export type FigureAgeGroup = (typeof FIGURE_AGE_GROUPS)[number];
