import type { FuzzyDate } from './fuzzy-date.js';

/**
 * Field sets that several layers carry (graph records, bundle rows, export rows), declared once so the
 * layers cannot drift apart. Each layer adds its own ids and links.
 */

/** How much a figure says, as the source gives it. */
export interface FigureAmount {
  measure: string;
  value: number | null;
  min: number | null;
  max: number | null;
  qualifier: string;
  unit: string;
  subgroup: string | null;
}

/** A figure's amount with the words the source used. */
export interface FigureValue extends FigureAmount, FigureSubgroup {
  text: string | null;
  /** An ISO 8601 duration the figure covers without anchored dates (P4Y), validated by model/claims.ts. */
  duration: string | null;
}

/** The queryable parts of a figure's subgroup (model/enums.ts), beside the source's words in `subgroup`. */
export interface FigureSubgroup {
  sex: string | null;
  ageGroup: string | null;
  /** A role or category of the people counted, lower_snake_case, e.g. army_defectors. */
  category: string | null;
}

/** A figure's period and reference date (fuzzy dates as parsed). */
export interface FigureDates {
  periodStart: FuzzyDate | null;
  periodEnd: FuzzyDate | null;
  asOf: FuzzyDate | null;
}

/** What a source is, apart from its publisher link. */
export interface SourceFields {
  id: string;
  title: string;
  text: string;
  sha256: string;
  length: number;
  language: string;
  url: string | null;
  retrievedAt: string | null;
  published: FuzzyDate | null;
  reliability: string;
  sensitivity: string;
  notes: string | null;
}
