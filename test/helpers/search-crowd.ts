import { sha256 } from '../../src/model/text.js';

/**
 * A crowd of records that one search matches, for paging tests: persons whose names repeat a few words of
 * this test's own (so that many share a score exactly), events, excerpts of several sources and figures,
 * some of them restricted or confidential (hidden from anonymous callers, and confidential ones from
 * analysts too). `from` numbers the records, so that a second call adds more of the crowd; `weak` persons
 * share only the first family name with a search for `first[0] first[1] family[0]`.
 */
export function crowdWords(u: string) {
  return {
    first: [`ahm${u}`, `moh${u}`, `kha${u}`, 'Omar', 'Ali'],
    family: [`har${u}`, `kat${u}`, 'Saleh'],
  };
}

const SENSITIVITY = (i: number) => (i % 7 === 3 ? 'confidential' : i % 5 === 2 ? 'restricted' : 'public');

export function crowdBundle(
  u: string,
  opts: { from?: number; persons: number; events?: number; sources?: number; weak?: boolean },
) {
  const { first, family } = crowdWords(u);
  const from = opts.from ?? 0;
  const actors = Array.from({ length: opts.persons }, (_, j) => {
    const i = from + j;
    const f = opts.weak ? first[2 + (i % 3)]! : first[i % 5]!;
    const m = opts.weak ? first[2 + (Math.floor(i / 3) % 3)]! : first[Math.floor(i / 5) % 5]!;
    const fam = opts.weak ? family[0]! : family[Math.floor(i / 25) % 3]!;
    return {
      id: `ac-c${u}-${i}`,
      type: 'person',
      name: `${f} ${m} ${fam}`,
      // Every third has an alias: a longer name field, another score.
      aliases: i % 3 === 0 ? [{ value: `${f} ${fam}`, lang: 'en' }] : [],
      sensitivity: SENSITIVITY(i),
    };
  });
  const events = Array.from({ length: opts.events ?? 0 }, (_, j) => {
    const i = from + j;
    return {
      id: `ev-c${u}-${i}`,
      type: 'arrest_detention',
      name: `Arrest of ${first[i % 5]} ${family[i % 3]}`,
      sensitivity: SENSITIVITY(i + 1),
    };
  });
  const sources = Array.from({ length: opts.sources ?? 0 }, (_, j) => {
    const i = from + j;
    const lines = Array.from(
      { length: 6 },
      (_, k) =>
        `Witness ${i}-${k} named ${first[(i + k) % 5]} ${first[k % 5]} ${family[(i + k) % 3]} at the checkpoint.`,
    );
    const text = `${lines.join(' ')} ${i + 10} ${first[i % 5]} detainees were released.`;
    return {
      source: {
        id: `src-c${u}-${i}`,
        text,
        sha256: sha256(text),
        title: `Report ${i} on ${first[i % 5]} ${family[i % 3]}`,
        language: 'en',
        sensitivity: SENSITIVITY(i + 2),
      },
      lines,
      i,
    };
  });
  const claims = sources.flatMap(({ source, lines, i }) => [
    ...lines.map((line, k) => ({
      id: `cl-c${u}-${i}-${k}`,
      subject: `ev-c${u}-${from}`,
      summary: `A witness named someone ${u} ${i}-${k}`,
      source: source.id,
      quotes: [line],
    })),
    {
      id: `cl-c${u}-${i}-fig`,
      subject: `ev-c${u}-${from}`,
      summary: `Detainees released ${u} ${i}`,
      figure: {
        measure: 'people_released',
        value: i + 10,
        qualifier: 'exact',
        unit: 'people',
        text: `${first[i % 5]} detainees`,
      },
      source: source.id,
      quotes: [`${i + 10} ${first[i % 5]} detainees were released`],
      sensitivity: SENSITIVITY(i + 4),
    },
  ]);
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: sources.map((s) => s.source),
    actors,
    events,
    claims,
  };
}
