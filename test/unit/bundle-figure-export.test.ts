import { describe, expect, it } from 'vitest';
import { bundleFromRows } from '../../src/io/bundle/export.js';
import { resolveBundle } from '../../src/io/bundle/resolve.js';
import type { BundleClaimRecord, BundleRecords } from '../../src/model/export-records.js';
import { sha256 } from '../../src/model/text.js';

/** A figure's duration, subgroup parts, share and event survive `kg export --format bundle` → `kg import`. */

const TEXT = 'Of 1,168 released over four years, 40 were women who had defected from the army.';

function figureClaim(
  id: string,
  figure: Partial<NonNullable<BundleClaimRecord['figure']>>,
): BundleClaimRecord {
  return {
    id,
    fact: null,
    slot: null,
    kind: 'figure',
    summary: `Claim ${id}`,
    property: 'people_released',
    role: null,
    position: null,
    periodStart: null,
    periodEnd: null,
    value: null,
    status: 'asserted',
    statusReason: null,
    statusChangedAt: null,
    statusChangedBy: null,
    confidence: null,
    sensitivity: 'public',
    recordedBy: 'curator',
    recordedAt: '2026-11-30T10:00:00Z',
    subject: 'ev-amnesty',
    object: null,
    quotes: [{ source: 'src-report', exact: '1,168 released', start: 3, end: 17 }],
    attributedTo: [],
    figure: {
      measure: 'people_released',
      value: 1168,
      min: null,
      max: null,
      qualifier: 'exact',
      unit: 'people',
      subgroup: null,
      text: '1,168',
      duration: null,
      sex: null,
      ageGroup: null,
      category: null,
      periodStart: null,
      periodEnd: null,
      asOf: null,
      sensitivity: 'public',
      shareOf: null,
      during: null,
      ...figure,
    },
  };
}

describe('bundle export of figures', () => {
  it('round-trips duration, subgroup parts, share, event and the figure’s own sensitivity', async () => {
    const rows: BundleRecords = {
      sources: [
        {
          id: 'src-report',
          text: TEXT,
          sha256: sha256(TEXT),
          title: 'Report',
          publisher: null,
          language: 'en',
          url: null,
          retrievedAt: null,
          published: null,
          reliability: 'unknown',
          sensitivity: 'public',
          notes: null,
          dataset: null,
          publishedVia: [],
        },
      ],
      actors: [],
      places: [],
      events: [
        {
          id: 'ev-amnesty',
          type: 'amnesty_decree',
          name: 'Amnesty',
          lang: 'en',
          aliases: [],
          identifiers: [],
          description: null,
          sensitivity: 'public',
          date: null,
          endDate: null,
          facilityKind: null,
        },
      ],
      claims: [
        figureClaim('cl-whole', { duration: 'P4Y' }),
        figureClaim('cl-women', {
          value: 40,
          text: '40',
          subgroup: 'women',
          sex: 'female',
          ageGroup: 'adult',
          category: 'army_defectors',
          duration: 'P4Y',
          shareOf: 'cl-whole',
          during: 'ev-amnesty',
          sensitivity: 'restricted',
        }),
      ],
      relations: [],
    };
    const doc = bundleFromRows(rows, ['public', 'restricted', 'confidential']);
    const back = await resolveBundle(doc, async () => TEXT);
    expect(
      back.figures.map((f) => [
        f.id,
        f.duration,
        f.sex,
        f.ageGroup,
        f.category,
        f.shareOfId,
        f.duringId,
        f.sensitivity,
      ]),
    ).toEqual([
      ['fg-whole', 'P4Y', null, null, null, null, null, 'public'],
      ['fg-women', 'P4Y', 'female', 'adult', 'army_defectors', 'fg-whole', 'ev-amnesty', 'restricted'],
    ]);
  });
});
