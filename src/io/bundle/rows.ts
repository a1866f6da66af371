import type { FuzzyDate } from '../../model/fuzzy-date.js';
import type { EntityKind } from '../../model/graph-model.js';
import { figureIdOf } from '../../model/ids.js';
import type { AttributionHopRow, ClaimRow, ClaimValue, EntityRow, FigureRow } from '../../model/rows.js';
import type { BundleInput, ClaimInput } from './schema.js';

/** The rows a bundle's records become, field by field (resolve.ts checks them against each other). */

export type EntityInput = (BundleInput['actors'] | BundleInput['places'] | BundleInput['events'])[number];
export type FigureInput = NonNullable<ClaimInput['figure']>;

export function entityRow(
  e: EntityInput,
  kind: EntityKind,
  date: FuzzyDate | null,
  endDate: FuzzyDate | null,
): EntityRow {
  return {
    id: e.id,
    kind,
    type: e.type,
    name: e.name,
    lang: e.lang,
    aliases: e.aliases.map((a) => ({ value: a.value, lang: a.lang })),
    description: e.description ?? null,
    identifiers: e.identifiers.map((i) => ({ scheme: i.scheme, value: i.value })),
    sensitivity: e.sensitivity,
    date,
    endDate,
    facilityKind: ('facilityKind' in e ? e.facilityKind : null) ?? null,
  };
}

/** What every kind of claim row carries: who recorded it (the bundle's curator unless it says), status, evidence. */
export function claimBase(
  c: ClaimInput,
  b: BundleInput,
  excerptIds: string[],
  hops: AttributionHopRow[] | null,
): Omit<ClaimRow, keyof ClaimValue> {
  return {
    id: c.id,
    fact: c.fact ?? null,
    subjectId: c.subject,
    summary: c.summary,
    status: c.status,
    statusReason: c.statusReason ?? null,
    statusChangedAt: c.statusChangedAt ?? null,
    statusChangedBy: c.statusChangedBy ?? null,
    confidence: c.confidence ?? null,
    sensitivity: c.sensitivity,
    recordedBy: c.recordedBy ?? b.recordedBy,
    recordedAt: c.recordedAt ?? b.recordedAt,
    excerptIds,
    attributedTo: c.attribution ? c.attribution.map((h) => h.actor) : c.attributedTo,
    slot: c.slot ?? null,
    ...(hops ? { attribution: hops } : {}),
  };
}

export function figureRow(
  c: ClaimInput,
  f: FigureInput,
  dates: Pick<FigureRow, 'periodStart' | 'periodEnd' | 'asOf'>,
): FigureRow {
  return {
    id: figureIdOf(c.id),
    claimId: c.id,
    subjectId: c.subject,
    measure: f.measure,
    value: f.value ?? null,
    min: f.min ?? null,
    max: f.max ?? null,
    qualifier: f.qualifier,
    unit: f.unit,
    subgroup: f.subgroup ?? null,
    text: f.text ?? null,
    duration: f.duration ?? null,
    sex: f.sex ?? null,
    ageGroup: f.ageGroup ?? null,
    category: f.category ?? null,
    ...dates,
    shareOfId: f.shareOf ? figureIdOf(f.shareOf) : null,
    duringId: f.during ?? null,
    sensitivity: f.sensitivity ?? c.sensitivity,
  };
}
